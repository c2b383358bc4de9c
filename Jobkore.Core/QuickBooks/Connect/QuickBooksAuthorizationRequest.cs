using Jobkore.Core.Domain;

namespace Jobkore.Core.QuickBooks.Connect;

/// <summary>
/// A Connect QuickBooks in progress: the hash of the OAuth <c>state</c> sent to Intuit, bound to the user and
/// business that started it. Deleted when the callback uses it, so a state works once.
/// </summary>
public sealed class QuickBooksAuthorizationRequest : IBusinessOwned
{
    private QuickBooksAuthorizationRequest()
    {
        StateHash = UserId = string.Empty;
    }

    public QuickBooksAuthorizationRequest(int businessId, string stateHash, string userId, DateTimeOffset createdAt, DateTimeOffset expiresAt)
    {
        BusinessId = businessId;
        StateHash = stateHash;
        UserId = userId;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
    }

    public int Id { get; private set; }

    public int BusinessId { get; private set; }

    public string StateHash { get; private set; }

    public string UserId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }
}
