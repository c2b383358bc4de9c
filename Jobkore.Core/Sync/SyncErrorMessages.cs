using Jobkore.Core.QuickBooks.Errors;

namespace Jobkore.Core.Sync;

/// <summary>
/// What a QuickBooks error means for the person looking at the record, and what to do about it (docs/quickbooks-api.md §4). QBO's own
/// text stays in the attempt history; the record's message is always one of these.
/// </summary>
public static class SyncErrorMessages
{
    /// <summary>The code of a record stopped by Jobkore itself because another Jobkore record goes to QuickBooks under the same name (<see cref="SameQboName"/>).</summary>
    public const string SameNameCode = "jobkore:same-name";

    /// <summary>The code of a record stopped by Jobkore itself because a record it needs (its client, an item, its invoice) is not in QuickBooks yet.</summary>
    public const string WaitsForAnotherCode = "jobkore:waits";

    /// <summary>The code of a client held by Jobkore itself until an admin reviews its likely match with a QuickBooks customer (Sync/Matching).</summary>
    public const string ReviewCode = "jobkore:review";

    /// <summary>What a client held for review says: who it looks like, and where to decide.</summary>
    /// <param name="clientName">The client's name in Jobkore.</param>
    /// <param name="candidates">The customers it likely is, likeliest first.</param>
    public static string HeldForReview(string clientName, IReadOnlyList<SyncState.CustomerCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var likeliest = candidates.Count == 0 ? "a QuickBooks customer" : $"the QuickBooks customer '{candidates[0].DisplayName}' ({string.Join(", ", candidates[0].Reasons)})";
        var others = candidates.Count > 1 ? $" or {candidates.Count - 1} other{(candidates.Count > 2 ? "s" : string.Empty)}" : string.Empty;
        return $"'{clientName}' looks like {likeliest}{others}, so it was not sent. In Settings › Integrations › QuickBooks › Customer matches, "
            + "link it to that customer, create a new one, or keep it out of QuickBooks.";
    }

    /// <summary>The request went out but no answer came back (connection lost, timeout).</summary>
    public const string LostResponse = "QuickBooks did not answer in time. It will be sent on the next sync without creating anything twice; you can also retry.";

    /// <summary>
    /// Two Jobkore records that QuickBooks would take for one name: QuickBooks compares names ignoring case, and
    /// Jobkore sends ':' as '-' and runs of spaces as one (<see cref="QboNames"/>). Linking both to one QuickBooks
    /// record would merge them in the books, so the second one stops here.
    /// </summary>
    /// <param name="subject">The record that stops.</param>
    /// <param name="qboName">The name the other record already goes to QuickBooks as.</param>
    public static string SameQboName(SyncSubject subject, string qboName)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return $"Another Jobkore {subject.Kind} already goes to QuickBooks as '{qboName}'. QuickBooks needs names that differ by more than case, colons and spaces: "
            + $"rename {subject.Label} in Jobkore, then retry.";
    }

    /// <summary>A rename held back because the record holding its new name in QuickBooks could not be renamed first.</summary>
    /// <param name="subject">The renamed record.</param>
    /// <param name="name">Its new name.</param>
    /// <param name="holder">The record QuickBooks still has under that name.</param>
    public static string NameStillHeld(SyncSubject subject, string name, SyncSubject holder)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(holder);
        return $"{subject.AtStart} was not renamed in QuickBooks: its new name '{name}' is still held there by the record of {holder.Label}, whose own rename "
            + $"could not be sent. Fix that one first; this {subject.Kind} follows on the next sync.";
    }

    /// <summary>Whether a stored error code is QuickBooks' own (shown as such), not one of Jobkore's (<see cref="SameNameCode"/>, <see cref="WaitsForAnotherCode"/>).</summary>
    public static bool IsQuickBooksCode(string? code) => code is not null && !code.StartsWith("jobkore:", StringComparison.Ordinal);

    /// <param name="error">The QBO error.</param>
    /// <param name="subject">The record the error is about.</param>
    /// <param name="isUpdate">The write updated the record's QuickBooks record (a name refused then may be another customer's or item's).</param>
    public static string For(QuickBooksError error, SyncSubject subject, bool isUpdate = false)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(subject);
        var what = subject.Label;
        if (error.IsPeriodClosed)
        {
            return $"The books are closed for the date of {what} in QuickBooks. Change the closing date in QuickBooks or the date in Jobkore, then retry.";
        }

        return error.Code switch
        {
            "6240" => DuplicateName(subject, isUpdate),
            "6140" => $"QuickBooks already has another transaction numbered like {what}. Change the number in Jobkore, then retry.",
            "5010" => $"Someone changed {what} in QuickBooks while Jobkore was updating it. Retry to send Jobkore's version again.",
            "610" => $"{Capitalize(what)} was deleted or made inactive in QuickBooks. Re-create it in QuickBooks from Jobkore, or make it active there, then retry.",
            "2500" => $"{Capitalize(what)} refers to something that is inactive or missing in QuickBooks (an account, customer or item). Make it active in QuickBooks, then retry.",
            "2020" => $"QuickBooks says a required value of {what} is missing: {error.Detail ?? error.Message}. Fill it in Jobkore, then retry.",
            "6000" => $"QuickBooks refused {what}: {Reason(error)}. Fix it in Jobkore or QuickBooks, then retry.",
            "6190" => "The QuickBooks company's subscription has ended or has a billing problem. Sort it out in QuickBooks, then retry.",
            "3200" or "003200" => "QuickBooks no longer accepts Jobkore's sign-in. An admin can reconnect in Settings › Integrations; nothing waiting is lost.",
            "3100" or "003100" => "QuickBooks says Jobkore may not use this company any more. An admin can reconnect in Settings › Integrations.",
            "3001" or "003001" => "QuickBooks asked Jobkore to slow down and the wait ran out. It will be sent on the next sync; you can also retry.",
            _ => error.Kind switch
            {
                QuickBooksErrorKind.Unauthorized => error.Message,
                QuickBooksErrorKind.Forbidden => "QuickBooks says Jobkore may not use this company any more. An admin can reconnect in Settings › Integrations.",
                QuickBooksErrorKind.Throttled => "QuickBooks asked Jobkore to slow down and the wait ran out. It will be sent on the next sync; you can also retry.",
                QuickBooksErrorKind.Transient => "QuickBooks could not be reached or had a problem of its own. It will be sent on the next sync; you can also retry.",
                QuickBooksErrorKind.DuplicateName => DuplicateName(subject, isUpdate),
                QuickBooksErrorKind.DuplicateDocNumber => $"QuickBooks already has another transaction numbered like {what}. Change the number in Jobkore, then retry.",
                QuickBooksErrorKind.NotFound => $"{Capitalize(what)} was deleted or made inactive in QuickBooks. Make it active there or re-create it, then retry.",
                _ => $"QuickBooks refused {what}: {Reason(error)}. Fix it, then retry.",
            },
        };
    }

    /// <summary>
    /// What a refused void of a payment removed in Jobkore says: Jobkore has nothing left to change, so the fix is in
    /// QuickBooks (docs/quickbooks-api.md §10: a deposited payment cannot be voided until its deposit is deleted; closed books).
    /// Errors that a later sync can get past (no answer, sign-in) say what <see cref="For"/> says.
    /// </summary>
    /// <param name="error">The QBO error.</param>
    /// <param name="subject">The removed payment ("the payment of 962.64 on 2026-11-03 removed from invoice INV-1042").</param>
    public static string ForVoidOfRemovedPayment(QuickBooksError error, SyncSubject subject)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(subject);
        if (error.IsPeriodClosed)
        {
            return $"QuickBooks still has {subject.Label}: the books are closed for its date, so it could not be voided there. "
                + "Move the closing date in QuickBooks, or void the payment there yourself, then retry.";
        }

        return error.Kind is QuickBooksErrorKind.Validation
            ? $"QuickBooks still has {subject.Label}: it refused to void it ({Reason(error)}). Void or delete the payment in QuickBooks yourself "
                + "(a deposited payment comes out of its deposit first), then retry."
            : For(error, subject);
    }

    /// <summary>
    /// 6240. Customers and items of the same name are linked, never created, so what holds the name of a new one is
    /// something Jobkore does not link: a vendor or employee for a customer (docs/quickbooks-api.md §5), another kind of
    /// product for an item. A renamed one may also meet another customer or item of its new name.
    /// </summary>
    private static string DuplicateName(SyncSubject subject, bool isUpdate)
    {
        var holder = (subject.Kind == "catalog item", isUpdate) switch
        {
            (true, false) => "a product, service or category",
            (true, true) => "another product, service or category",
            (false, false) => "a vendor or employee",
            (false, true) => "another customer, a vendor or an employee",
        };
        return subject.Name is { } name
            ? $"QuickBooks already has {holder} named '{name}'. Rename the {subject.Kind} in Jobkore or in QuickBooks, then retry."
            : $"QuickBooks already has {holder} with the name of {subject.Label}. Rename it in Jobkore or in QuickBooks, then retry.";
    }

    private static string Reason(QuickBooksError error)
    {
        var detail = error.Detail ?? error.Message;
        const string prefix = "Business Validation Error:";
        return (detail.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? detail[prefix.Length..] : detail).Trim().TrimEnd('.');
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
