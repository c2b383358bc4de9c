namespace Jobkore.QuickBooksSandbox.Accounting;

/// <summary>
/// What ends every call that may have changed a company, under its lock: the records it changed go to the sandbox's
/// file (when it has one), then its changes to the webhook outbox — so no webhook announces what a restart would lose.
/// </summary>
internal sealed class CompanyCommits(SandboxPersistence persistence, Webhooks.WebhookOutbox outbox)
{
    public void Commit(SandboxCompany company, Books books, string? requestId)
    {
        persistence.Store?.SaveCompany(company, requestId);
        outbox.Publish(company.RealmId, books.Changes);
    }
}
