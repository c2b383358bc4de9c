using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Errors;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.QuickBooks.Queries;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>Jobkore's own QBO client against the sandbox over real HTTP: the same code that will talk to Intuit.</summary>
public sealed class QboApiClientAgainstSandboxTests(SandboxHost sandbox) : IClassFixture<SandboxHost>, IAsyncLifetime, IQboAccessTokens
{
    private string _access = string.Empty;
    private QboRateLimiter? _limiter;
    private QboApiClient _sut = default!;
    private QboCompany _company = default!;

    public async ValueTask InitializeAsync()
    {
        (_access, _) = await sandbox.ConnectAsync();
        var options = Options.Create(new QboClientOptions());
        _limiter = new QboRateLimiter(options);
        var handler = QboResilience.CreateHandler(_limiter, options.Value, TimeProvider.System, NullLogger.Instance);
        handler.InnerHandler = new HttpClientHandler();
        _sut = new QboApiClient(new HttpClient(handler), this, NullLogger<QboApiClient>.Instance);
        _company = new QboCompany(SandboxHost.AcmeRealm, new Uri(sandbox.Http.BaseAddress!, SandboxHost.BasePath + "/"));
    }

    public ValueTask DisposeAsync()
    {
        _limiter?.Dispose();
        return ValueTask.CompletedTask;
    }

    public ValueTask<string> GetAccessTokenAsync(string realmId, string? rejectedToken, CancellationToken cancellationToken) => ValueTask.FromResult(_access);

    [Fact]
    public async Task CreateFindAndDuplicate_RoundTripThroughTheClientModels()
    {
        var ct = TestContext.Current.CancellationToken;

        var created = await _sut.CreateAsync(_company, "Customer", new QboCustomer { DisplayName = "Núñez & O'Hara", PrimaryEmailAddr = new QboEmail("nh@example.com") }, "client-1", ct);
        var replayed = await _sut.CreateAsync(_company, "Customer", new QboCustomer { DisplayName = "Núñez & O'Hara" }, "client-1", ct);
        var found = await _sut.QueryAsync(_company, QboQuery.SelectAll("Customer").Where("DisplayName", "=", "Núñez & O'Hara").IncludingInactive(), ct);
        var duplicate = await Should.ThrowAsync<QuickBooksException>(() => _sut.CreateAsync(_company, "Customer", new QboCustomer { DisplayName = "Núñez & O'Hara" }, "client-2", ct));
        var info = await _sut.GetCompanyInfoAsync(_company, ct);

        created.Customer!.SyncToken.ShouldBe("0");
        replayed.Customer!.Id.ShouldBe(created.Customer.Id);
        found.Customer!.Single().Id.ShouldBe(created.Customer.Id);
        duplicate.Error.Kind.ShouldBe(QuickBooksErrorKind.DuplicateName);
        duplicate.Error.IntuitTid.ShouldStartWith("sbx-");
        info.CompanyInfo!.CompanyName.ShouldBe("Acme Plumbing & Heating LLC");
    }
}
