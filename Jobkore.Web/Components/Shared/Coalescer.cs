namespace Jobkore.Web.Components.Shared;

/// <summary>
/// Runs an action at once when asked, and folds every request that arrives while it runs, or within
/// <paramref name="quietInterval"/> after it, into one more run: a burst of a thousand changes costs a handful of
/// reloads, and a lone change is shown without waiting.
/// </summary>
public sealed class Coalescer(Func<CancellationToken, Task> action, TimeSpan quietInterval, TimeProvider time)
{
    private readonly Lock _gate = new();
    private bool _running;
    private bool _requestedAgain;

    /// <summary>Asks for a run; returns when the run it started (if any) and the ones folded into it are done.</summary>
    public async Task RequestAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_running)
            {
                _requestedAgain = true;
                return;
            }

            _running = true;
        }

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await action(cancellationToken);
                await Task.Delay(quietInterval, time, cancellationToken);
                lock (_gate)
                {
                    if (!_requestedAgain)
                    {
                        return;
                    }

                    _requestedAgain = false;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The listener went away.
        }
        finally
        {
            lock (_gate)
            {
                _running = false;
            }
        }
    }
}
