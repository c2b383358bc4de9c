namespace Jobkore.Core.QuickBooks.OAuth;

/// <summary>The app's registration with Intuit. The secret never reaches a log or a page.</summary>
public sealed record IntuitAppCredentials(string ClientId, string ClientSecret)
{
    public override string ToString() => $"IntuitAppCredentials {{ ClientId = {ClientId} }}";
}
