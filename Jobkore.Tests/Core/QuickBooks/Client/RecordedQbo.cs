using System.Net;
using System.Text;
using Jobkore.Core.QuickBooks.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Jobkore.Tests.Core.QuickBooks.Client;

/// <summary>
/// The client with its resilience pipeline in front of a handler that answers from a script of recorded QBO responses
/// and keeps every request it saw. Time is fake, so waits after a 429 or a 5xx are advanced, not slept.
/// </summary>
internal sealed class RecordedQbo : IQboAccessTokens, IDisposable
{
    public static readonly QboCompany Company = new("9130357992", new Uri("https://sandbox-quickbooks.api.intuit.com/"));
    private readonly Queue<Func<HttpResponseMessage>> _script = new();
    private readonly QboRateLimiter _limiter;
    private int _tokenVersion = 1;

    public RecordedQbo(QboClientOptions? options = null)
    {
        var settings = Options.Create(options ?? new QboClientOptions());
        _limiter = new QboRateLimiter(settings, Time);
        var inner = new ScriptHandler(this);
        var resilience = QboResilience.CreateHandler(_limiter, settings.Value, Time, NullLogger.Instance);
        resilience.InnerHandler = inner;
        Sut = new QboApiClient(new HttpClient(resilience), this, Logger);
    }

    public QboApiClient Sut { get; }

    public QboRateLimiter Limiter => _limiter;

    public FakeTimeProvider Time { get; } = new(Jobkore.Tests.TestSupport.TestServices.Now);

    public CapturingLogger<QboApiClient> Logger { get; } = new();

    public List<(HttpRequestMessage Request, string? Body)> Requests { get; } = [];

    public int Refreshes { get; private set; }

    public string CurrentToken => $"access-token-v{_tokenVersion}-secret";

    public RecordedQbo Then(HttpStatusCode status, string body, string tid = "1-tid", TimeSpan? retryAfter = null)
    {
        _script.Enqueue(() =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            response.Headers.Add("intuit_tid", tid);
            if (retryAfter is { } wait)
            {
                response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
            }

            return response;
        });
        return this;
    }

    /// <summary>The next request is never answered (until the client gives up on it).</summary>
    public RecordedQbo ThenNoAnswer()
    {
        _script.Enqueue(() => null!);
        return this;
    }

    public RecordedQbo ThenConnectionDrops()
    {
        _script.Enqueue(() => throw new HttpRequestException("The response ended prematurely."));
        return this;
    }

    public ValueTask<string> GetAccessTokenAsync(string realmId, string? rejectedToken, CancellationToken cancellationToken)
    {
        if (rejectedToken == CurrentToken)
        {
            _tokenVersion++;
            Refreshes++;
        }

        return ValueTask.FromResult(CurrentToken);
    }

    /// <summary>Runs a call, advancing fake time while it waits, up to a bound so a hang fails the test.</summary>
    public async Task<T> RunAsync<T>(Func<QboApiClient, Task<T>> call, TimeSpan? maxFakeTime = null)
    {
        var task = call(Sut);
        var advanced = TimeSpan.Zero;
        while (!task.IsCompleted && advanced < (maxFakeTime ?? TimeSpan.FromMinutes(10)))
        {
            await Task.Delay(5, Xunit.TestContext.Current.CancellationToken);
            Time.Advance(TimeSpan.FromSeconds(1));
            advanced += TimeSpan.FromSeconds(1);
        }

        return task.IsCompleted ? await task : throw new TimeoutException($"The call was still waiting after {advanced} of fake time.");
    }

    public void Dispose() => _limiter.Dispose();

    private sealed class ScriptHandler(RecordedQbo owner) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            owner.Requests.Add((request, body));
            var response = owner._script.Count == 0
                ? throw new InvalidOperationException($"No recorded response left for {request.Method} {request.RequestUri}")
                : owner._script.Dequeue()();
            if (response is null)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, owner.Time, cancellationToken);
            }

            return response!;
        }
    }
}

/// <summary>Keeps every formatted log line, to prove what is and is not logged.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    public List<string> Lines { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Add(formatter(state, exception));
}
