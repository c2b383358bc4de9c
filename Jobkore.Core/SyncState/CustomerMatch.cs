using System.Text.Json;
using Jobkore.Core.Domain;

namespace Jobkore.Core.SyncState;

/// <summary>What is to become of a client that likely matches a QuickBooks customer (Sync/Matching/CustomerMatching).</summary>
public enum CustomerMatchState
{
    /// <summary>Found, not yet decided: the client and its documents wait for an admin.</summary>
    ToReview,

    /// <summary>Link the client to the chosen customer (<see cref="CustomerMatch.ChosenQboId"/>); Jobkore's details are sent to it.</summary>
    Link,

    /// <summary>Create a new customer for the client, whatever QuickBooks holds that looks like it.</summary>
    CreateNew,

    /// <summary>Never send the client: its invoices and payments stay out of QuickBooks and are not counted as waiting.</summary>
    DontSync,
}

/// <summary>A QuickBooks customer that likely is a client, and why Jobkore thinks so.</summary>
/// <param name="QboId">The customer's QuickBooks id.</param>
/// <param name="DisplayName">Its display name in QuickBooks.</param>
/// <param name="Email">Its primary email, if any.</param>
/// <param name="Phone">Its primary phone, if any.</param>
/// <param name="PostalCode">Its billing postal code, if any.</param>
/// <param name="Active">False for a customer made inactive in QuickBooks (linking makes it active again).</param>
/// <param name="Reasons">What it shares with the client, in words ("same email", "near name").</param>
public sealed record CustomerCandidate(string QboId, string DisplayName, string? Email, string? Phone, string? PostalCode, bool Active, IReadOnlyList<string> Reasons);

/// <summary>
/// The review of one client that is not linked to a QuickBooks customer yet and likely matches one or more of the
/// company's customers (by a near name, email, phone or postal code): it waits for an admin, who links it, creates a
/// new customer, or keeps it out of QuickBooks. One per client and company.
/// </summary>
public sealed class CustomerMatch : IBusinessOwned
{
    /// <summary>At most this many candidates are kept for one client, the likeliest first.</summary>
    public const int MaxCandidates = 5;

    private CustomerMatch()
    {
        RealmId = string.Empty;
        CandidatesJson = "[]";
    }

    public CustomerMatch(int businessId, string realmId, int clientId, IReadOnlyList<CustomerCandidate> candidates, DateTimeOffset now)
        : this()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(realmId);
        BusinessId = businessId;
        RealmId = realmId;
        ClientId = clientId;
        State = CustomerMatchState.ToReview;
        FoundAt = now;
        SetCandidates(candidates);
    }

    public int Id { get; private set; }

    public int BusinessId { get; private set; }

    public string RealmId { get; private set; }

    public int ClientId { get; private set; }

    public CustomerMatchState State { get; private set; }

    /// <summary>The candidates, as JSON (a handful at most).</summary>
    public string CandidatesJson { get; private set; }

    /// <summary>The customer chosen to link to, when <see cref="State"/> is <see cref="CustomerMatchState.Link"/>.</summary>
    public string? ChosenQboId { get; private set; }

    public DateTimeOffset FoundAt { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public IReadOnlyList<CustomerCandidate> Candidates => JsonSerializer.Deserialize<List<CustomerCandidate>>(CandidatesJson) ?? [];

    /// <summary>The candidates found again, while nobody has decided yet.</summary>
    public void Refresh(IReadOnlyList<CustomerCandidate> candidates, DateTimeOffset now)
    {
        if (State != CustomerMatchState.ToReview)
        {
            return;
        }

        SetCandidates(candidates);
        FoundAt = now;
    }

    /// <summary>An admin's choice. Linking needs one of the candidates.</summary>
    public void Decide(CustomerMatchState decision, string? qboId, DateTimeOffset now)
    {
        if (decision == CustomerMatchState.ToReview)
        {
            throw new ArgumentOutOfRangeException(nameof(decision), decision, "Choose link, create or don't sync.");
        }

        if (decision == CustomerMatchState.Link && !Candidates.Any(c => c.QboId == qboId))
        {
            throw new DomainRuleException("Choose one of the QuickBooks customers offered for this client.", nameof(ChosenQboId));
        }

        State = decision;
        ChosenQboId = decision == CustomerMatchState.Link ? qboId : null;
        DecidedAt = now;
    }

    /// <summary>Back to review (a client kept out of QuickBooks that is to be sent after all, or a chosen customer that is gone).</summary>
    public void Reopen()
    {
        State = CustomerMatchState.ToReview;
        ChosenQboId = null;
        DecidedAt = null;
    }

    private void SetCandidates(IReadOnlyList<CustomerCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        CandidatesJson = JsonSerializer.Serialize(candidates.Take(MaxCandidates).ToList());
    }
}
