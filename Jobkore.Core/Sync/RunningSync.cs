namespace Jobkore.Core.Sync;

/// <summary>
/// A run going on in this process: its token is cancelled when the run must stop — the host stops, QuickBooks is being
/// disconnected, or its lease was lost — and <see cref="LeaseLost"/> says which.
/// </summary>
internal sealed class RunningSync : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<RunningSync> _onEnded;

    public RunningSync(int businessId, Action<RunningSync> onEnded, CancellationToken stoppingToken)
    {
        BusinessId = businessId;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _onEnded = onEnded;
    }

    public int BusinessId { get; }

    public CancellationToken Token => _stop.Token;

    /// <summary>True when the lease was taken by another process: nothing more may be sent.</summary>
    public bool LeaseLost { get; private set; }

    /// <summary>True when the run was stopped from outside (QuickBooks being disconnected).</summary>
    public bool Stopped { get; private set; }

    public void LoseLease()
    {
        LeaseLost = true;
        _stop.Cancel();
    }

    public async Task StopAsync()
    {
        Stopped = true;
        try
        {
            await _stop.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // It ended meanwhile.
        }

        await _ended.Task;
    }

    public void Dispose()
    {
        _onEnded(this);
        _ended.TrySetResult();
        _stop.Dispose();
    }
}
