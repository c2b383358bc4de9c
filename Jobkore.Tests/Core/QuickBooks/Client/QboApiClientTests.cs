using System.Net;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Errors;
using Jobkore.Core.QuickBooks.Models;
using Jobkore.Core.QuickBooks.Queries;

namespace Jobkore.Tests.Core.QuickBooks.Client;

public sealed class QboApiClientTests : IDisposable
{
    private const string CustomerJson = """{"Customer":{"Id":"58","SyncToken":"0","DisplayName":"Maria O'Brien","domain":"QBO","sparse":false},"time":"2026-11-24T10:00:00.000-08:00"}""";
    private const string DuplicateNameFault = """{"Fault":{"Error":[{"Message":"Duplicate Name Exists Error","Detail":"The name supplied already exists.","code":"6240","element":""}],"type":"ValidationFault"},"time":"2026-11-24T10:00:00.000-08:00"}""";
    private readonly RecordedQbo _qbo = new();

    public void Dispose() => _qbo.Dispose();

    [Fact]
    public async Task CreateAsync_SendsMinorVersionRequestIdAcceptJsonAndBareEntityBody()
    {
        _qbo.Then(HttpStatusCode.OK, CustomerJson);

        var response = await _qbo.RunAsync(c => c.CreateAsync(RecordedQbo.Company, "Customer", new QboCustomer { DisplayName = "Maria O'Brien" }, "req-1", CancellationToken.None));

        response.Customer!.Id.ShouldBe("58");
        var (request, body) = _qbo.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe(HttpMethod.Post);
        request.RequestUri!.ToString().ShouldBe("https://sandbox-quickbooks.api.intuit.com/v3/company/9130357992/customer?minorversion=75&requestid=req-1");
        request.Headers.Accept.ToString().ShouldBe("application/json");
        request.Headers.Authorization!.ToString().ShouldBe($"Bearer {_qbo.CurrentToken}");
        body.ShouldBe("""{"DisplayName":"Maria O\u0027Brien"}""");
    }

    [Fact]
    public async Task QueryAsync_GetWithEncodedStatementAndMinorVersion_NoRequestId()
    {
        _qbo.Then(HttpStatusCode.OK, """{"QueryResponse":{},"time":"2026-11-24T10:00:00.000-08:00"}""");

        var result = await _qbo.RunAsync(c => c.QueryAsync(RecordedQbo.Company, QboQuery.SelectAll("Customer").Where("DisplayName", "=", "Maria O'Brien"), CancellationToken.None));

        result.Customer.ShouldBeNull();
        var url = _qbo.Requests.Single().Request.RequestUri!.AbsoluteUri;
        url.ShouldBe("https://sandbox-quickbooks.api.intuit.com/v3/company/9130357992/query?query=SELECT%20%2A%20FROM%20Customer%20WHERE%20DisplayName%20%3D%20%27Maria%20O%5C%27Brien%27&minorversion=75");
    }

    [Fact]
    public async Task CreateAsync_ValidationFault_ThrowsWithCodeAndIntuitTid_AndLogsNoBodyOrToken()
    {
        _qbo.Then(HttpStatusCode.BadRequest, DuplicateNameFault, tid: "gw-abc-123");

        var ex = await Should.ThrowAsync<QuickBooksException>(() =>
            _qbo.RunAsync(c => c.CreateAsync(RecordedQbo.Company, "Customer", new QboCustomer { DisplayName = "Bob's Burgers" }, "req-2", CancellationToken.None)));

        ex.Error.Kind.ShouldBe(QuickBooksErrorKind.DuplicateName);
        ex.Error.Code.ShouldBe("6240");
        ex.Error.IntuitTid.ShouldBe("gw-abc-123");
        var log = _qbo.Logger.Lines.ShouldHaveSingleItem();
        log.ShouldContain("gw-abc-123");
        log.ShouldNotContain("Bob");
        log.ShouldNotContain(_qbo.CurrentToken);
    }

    [Fact]
    public async Task Request_Throttled_WaitsRetryAfterAndSucceeds()
    {
        _qbo.Then(HttpStatusCode.TooManyRequests, """{"Fault":{"Error":[{"Message":"message=ThrottleExceeded; errorCode=003001; statusCode=429","code":"3001"}],"type":"SERVICE"}}""", retryAfter: TimeSpan.FromSeconds(30))
            .Then(HttpStatusCode.OK, CustomerJson);
        var started = _qbo.Time.GetUtcNow();

        var response = await _qbo.RunAsync(c => c.ReadAsync(RecordedQbo.Company, "Customer", "58", CancellationToken.None));

        response.Customer!.DisplayName.ShouldBe("Maria O'Brien");
        _qbo.Requests.Count.ShouldBe(2);
        (_qbo.Time.GetUtcNow() - started).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Write_ThrottledManyTimes_NeverFailsForIt()
    {
        for (var i = 0; i < 5; i++)
        {
            _qbo.Then(HttpStatusCode.TooManyRequests, "<Fault/>");
        }

        _qbo.Then(HttpStatusCode.OK, CustomerJson);

        var response = await _qbo.RunAsync(c => c.CreateAsync(RecordedQbo.Company, "Customer", new QboCustomer { DisplayName = "Maria O'Brien" }, "req-3", CancellationToken.None));

        response.Customer.ShouldNotBeNull();
        _qbo.Requests.Count.ShouldBe(6);
        _qbo.Requests.Select(r => r.Request.RequestUri!.Query).Distinct().ShouldHaveSingleItem().ShouldContain("requestid=req-3");
    }

    [Fact]
    public async Task WriteWithRequestId_ServerErrorThenDroppedConnection_IsRetriedWithTheSameRequestId()
    {
        _qbo.Then(HttpStatusCode.ServiceUnavailable, "<html>unavailable</html>").ThenConnectionDrops().Then(HttpStatusCode.OK, CustomerJson);

        var response = await _qbo.RunAsync(c => c.CreateAsync(RecordedQbo.Company, "Customer", new QboCustomer { DisplayName = "Maria O'Brien" }, "req-4", CancellationToken.None));

        response.Customer!.Id.ShouldBe("58");
        _qbo.Requests.Count.ShouldBe(3);
        _qbo.Requests.ShouldAllBe(r => r.Request.RequestUri!.Query.Contains("requestid=req-4") && r.Body == """{"DisplayName":"Maria O\u0027Brien"}""");
    }

    [Fact]
    public async Task Read_UnansweredPastTheAttemptTimeout_IsTriedAgain()
    {
        _qbo.ThenNoAnswer().Then(HttpStatusCode.OK, CustomerJson);
        var started = _qbo.Time.GetUtcNow();

        var response = await _qbo.RunAsync(c => c.ReadAsync(RecordedQbo.Company, "Customer", "58", CancellationToken.None));

        response.Customer!.Id.ShouldBe("58");
        _qbo.Requests.Count.ShouldBe(2);
        (_qbo.Time.GetUtcNow() - started).ShouldBeGreaterThanOrEqualTo(new QboClientOptions().AttemptTimeout);
    }

    [Fact]
    public async Task ServerError_AfterTheLastAttempt_IsTransientError()
    {
        using var qbo = new RecordedQbo(new QboClientOptions { TransientAttempts = 2 });
        qbo.Then(HttpStatusCode.InternalServerError, "{}").Then(HttpStatusCode.BadGateway, "{}");

        var ex = await Should.ThrowAsync<QuickBooksException>(() => qbo.RunAsync(c => c.ReadAsync(RecordedQbo.Company, "Invoice", "1", CancellationToken.None)));

        ex.Error.Kind.ShouldBe(QuickBooksErrorKind.Transient);
        qbo.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Request_CarryingASlot_GoesWithItAtOnce_AndItsRetryWaitsForASlotOfItsOwn()
    {
        using var qbo = new RecordedQbo(new QboClientOptions { RequestsPerMinute = 1 });
        qbo.Then(HttpStatusCode.ServiceUnavailable, "{}").Then(HttpStatusCode.OK, CustomerJson);
        using var slot = await qbo.Limiter.AcquireAsync(RecordedQbo.Company.RealmId, CancellationToken.None);
        var started = qbo.Time.GetUtcNow();

        QboResponse response;
        using (slot.Carry())
        {
            // Without the carried slot, this would wait for the minute's only request, which the slot holds.
            response = await qbo.RunAsync(c => c.ReadAsync(RecordedQbo.Company, "Customer", "58", CancellationToken.None), TimeSpan.FromMinutes(3));
        }

        response.Customer!.Id.ShouldBe("58");
        qbo.Requests.Count.ShouldBe(2);
        (qbo.Time.GetUtcNow() - started).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMinutes(1), "the retry counts in the minute like any request");
    }

    [Fact]
    public async Task Unauthorized_GetsOneFreshTokenAndTriesOnceMore()
    {
        _qbo.Then(HttpStatusCode.Unauthorized, """{"fault":{"error":[{"message":"message=AuthenticationFailed; errorCode=003200; statusCode=401","code":"3200"}],"type":"AUTHENTICATION"}}""")
            .Then(HttpStatusCode.OK, CustomerJson);
        var firstToken = _qbo.CurrentToken;

        await _qbo.RunAsync(c => c.ReadAsync(RecordedQbo.Company, "Customer", "58", CancellationToken.None));

        _qbo.Refreshes.ShouldBe(1);
        _qbo.Requests[0].Request.Headers.Authorization!.Parameter.ShouldBe(firstToken);
        _qbo.Requests[1].Request.Headers.Authorization!.Parameter.ShouldBe(_qbo.CurrentToken);
    }

    [Fact]
    public async Task Unauthorized_Twice_IsUnauthorizedError()
    {
        const string gateway401 = """{"fault":{"error":[{"message":"message=AuthenticationFailed; errorCode=003200; statusCode=401","code":"3200"}],"type":"AUTHENTICATION"}}""";
        _qbo.Then(HttpStatusCode.Unauthorized, gateway401).Then(HttpStatusCode.Unauthorized, gateway401);

        var ex = await Should.ThrowAsync<QuickBooksException>(() => _qbo.RunAsync(c => c.ReadAsync(RecordedQbo.Company, "Customer", "58", CancellationToken.None)));

        ex.Error.Kind.ShouldBe(QuickBooksErrorKind.Unauthorized);
        ex.Error.Code.ShouldBe("3200");
    }

    [Fact]
    public async Task BatchAsync_SendsItemsAndReadsPerItemFaults()
    {
        _qbo.Then(HttpStatusCode.OK, """{"BatchItemResponse":[{"bId":"1","Customer":{"Id":"60","SyncToken":"0"}},{"bId":"2","Fault":{"Error":[{"Message":"Duplicate Name Exists Error","code":"6240","element":""}],"type":"ValidationFault"}}],"time":"2026-11-24T10:00:00.000-08:00"}""");
        QboBatchItemRequest[] items =
        [
            new() { BId = "1", Operation = "create", Customer = new QboCustomer { DisplayName = "A" } },
            new() { BId = "2", Operation = "create", Customer = new QboCustomer { DisplayName = "Bob's Burgers" } },
        ];

        var result = await _qbo.RunAsync(c => c.BatchAsync(RecordedQbo.Company, items, "batch-1", CancellationToken.None));

        result.BatchItemResponse[0].Customer!.Id.ShouldBe("60");
        result.BatchItemResponse[1].Fault!.Error![0].Code.ShouldBe("6240");
        _qbo.Requests.Single().Body.ShouldBe("""{"BatchItemRequest":[{"bId":"1","operation":"create","Customer":{"DisplayName":"A"}},{"bId":"2","operation":"create","Customer":{"DisplayName":"Bob\u0027s Burgers"}}]}""");
    }

    [Fact]
    public async Task BatchAsync_MoreThan30ItemsOrRepeatedBId_IsRefusedBeforeSending()
    {
        var tooMany = Enumerable.Range(1, 31).Select(i => new QboBatchItemRequest { BId = $"b{i}", Operation = "create", Customer = new QboCustomer { DisplayName = $"C{i}" } }).ToList();
        var repeated = new List<QboBatchItemRequest> { new() { BId = "x", Query = "select * from Item" }, new() { BId = "x", Query = "select * from Item" } };

        await Should.ThrowAsync<ArgumentException>(() => _qbo.Sut.BatchAsync(RecordedQbo.Company, tooMany, "b", CancellationToken.None));
        await Should.ThrowAsync<ArgumentException>(() => _qbo.Sut.BatchAsync(RecordedQbo.Company, repeated, "b", CancellationToken.None));
        _qbo.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("")]
    [InlineData("123456789012345678901234567890123456789012345678901")]
    public async Task Write_WithoutAUsableRequestId_IsRefusedBeforeSending(string requestId)
    {
        await Should.ThrowAsync<ArgumentException>(() => _qbo.Sut.CreateAsync(RecordedQbo.Company, "Customer", new QboCustomer { DisplayName = "X" }, requestId, CancellationToken.None));

        _qbo.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task VoidInvoiceAsync_PostsIdAndSyncTokenToOperationVoid()
    {
        _qbo.Then(HttpStatusCode.OK, """{"Invoice":{"Id":"129","SyncToken":"1","TotalAmt":0,"Balance":0,"PrivateNote":"Voided"},"time":"2026-11-24T10:00:00.000-08:00"}""");

        var response = await _qbo.RunAsync(c => c.VoidInvoiceAsync(RecordedQbo.Company, "129", "0", "void-129", CancellationToken.None));

        response.Invoice!.TotalAmt.ShouldBe(0m);
        var (request, body) = _qbo.Requests.Single();
        request.RequestUri!.PathAndQuery.ShouldBe("/v3/company/9130357992/invoice?operation=void&minorversion=75&requestid=void-129");
        body.ShouldBe("""{"Id":"129","SyncToken":"0"}""");
    }

    [Fact]
    public async Task FaultInsideA200_IsStillAnError()
    {
        _qbo.Then(HttpStatusCode.OK, DuplicateNameFault);

        var ex = await Should.ThrowAsync<QuickBooksException>(() => _qbo.RunAsync(c => c.ReadAsync(RecordedQbo.Company, "Customer", "1", CancellationToken.None)));

        ex.Error.Kind.ShouldBe(QuickBooksErrorKind.DuplicateName);
    }
}
