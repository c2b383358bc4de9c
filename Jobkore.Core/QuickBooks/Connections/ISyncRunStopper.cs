namespace Jobkore.Core.QuickBooks.Connections;

/// <summary>Stops a business's sync run, wherever it runs, so that disconnecting never races a run still writing.</summary>
public interface ISyncRunStopper
{
    /// <summary>
    /// Stops the run of this process and waits until no process holds the business's sync lease any more; false when
    /// one still does after a lease's length (a run elsewhere that has not stopped yet).
    /// </summary>
    Task<bool> StopAsync(int businessId, CancellationToken cancellationToken);
}
