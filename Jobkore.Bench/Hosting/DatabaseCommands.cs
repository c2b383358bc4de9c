using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Jobkore.Bench.Hosting;

/// <summary>
/// Counts every database command EF Core executes in this process (the app's, hosted here), from EF's diagnostic
/// listener, with no change to the app: the commands of the contexts the bench marks as its own (<see cref="CountAsBench"/>)
/// apart from the rest. EF looks whether anyone listens at most once a second, so start counting a moment
/// before what is measured. Commands the app sent past EF (none today) would not be counted.
/// </summary>
internal sealed class DatabaseCommands : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private static readonly object s_mark = new();
    private readonly ConditionalWeakTable<DbContext, object> _own = [];
    private readonly List<IDisposable> _subscriptions = [];
    private readonly IDisposable _listeners;
    private long _app;
    private long _bench;

    public DatabaseCommands() => _listeners = DiagnosticListener.AllListeners.Subscribe(this);

    /// <summary>Commands of every context not marked as the bench's own.</summary>
    public long App => Interlocked.Read(ref _app);

    /// <summary>Commands of the contexts marked as the bench's own.</summary>
    public long Bench => Interlocked.Read(ref _bench);

    /// <summary>Counts <paramref name="context"/>'s commands as the bench's own, not the app's, until disposed (a pooled context is used again).</summary>
    public IDisposable CountAsBench(DbContext context)
    {
        _own.AddOrUpdate(context, s_mark);
        return new Unmark(_own, context);
    }

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener value)
    {
        if (value.Name == DbLoggerCategory.Name)
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(value.Subscribe(this, name => name == RelationalEventId.CommandExecuted.Name));
            }
        }
    }

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Value is CommandExecutedEventData executed)
        {
            if (executed.Context is { } context && _own.TryGetValue(context, out _))
            {
                Interlocked.Increment(ref _bench);
            }
            else
            {
                Interlocked.Increment(ref _app);
            }
        }
    }

    void IObserver<DiagnosticListener>.OnCompleted()
    {
    }

    void IObserver<DiagnosticListener>.OnError(Exception error)
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnCompleted()
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnError(Exception error)
    {
    }

    public void Dispose()
    {
        _listeners.Dispose();
        lock (_subscriptions)
        {
            _subscriptions.ForEach(s => s.Dispose());
        }
    }

    private sealed class Unmark(ConditionalWeakTable<DbContext, object> own, DbContext context) : IDisposable
    {
        public void Dispose() => own.Remove(context);
    }
}
