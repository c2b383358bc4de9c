using Jobkore.Core.Domain;
using Jobkore.Core.QuickBooks.Settings;

namespace Jobkore.Core.Sync.Projection;

/// <summary>
/// The account a payment is deposited to. One not in QuickBooks yet goes to its method's account, else the default
/// deposit account, else QuickBooks' own default (Undeposited Funds). One QuickBooks holds keeps the account it is in
/// there, also when an edit sends it again: it may already be part of a bank deposit or a reconciliation, so a
/// changed setting never moves money that is booked.
/// </summary>
public static class QboDepositAccounts
{
    /// <summary>How <see cref="QboOwnedFields"/> names the deposit account.</summary>
    public const string DepositAccountField = "deposit account";

    /// <summary>
    /// The account id to send for a payment of <paramref name="method"/>; <paramref name="heldInQuickBooks"/> is the
    /// account QuickBooks held after Jobkore's last write or link (null when not in QuickBooks, or not known). Null
    /// leaves the account to QuickBooks.
    /// </summary>
    public static string? IdFor(QuickBooksSettingsView settings, PaymentMethod method, string? heldInQuickBooks)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return heldInQuickBooks ?? settings.DepositAccountFor(method)?.Id;
    }

    /// <summary>The deposit account in a sync record's kept QuickBooks fields (<see cref="QboOwnedValues"/> JSON), if any.</summary>
    public static string? HeldIn(string? qboFields) => QboOwnedValues.FromJson(qboFields)?[DepositAccountField];
}
