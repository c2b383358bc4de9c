using Jobkore.Core.QuickBooks.Errors;

namespace Jobkore.Tests.Core.QuickBooks;

public sealed class QboFaultsTests
{
    private static string DataFault(string code, string message, string element = "") =>
        $$"""{"Fault":{"Error":[{"Message":"{{message}}","Detail":"detail of {{code}}","code":"{{code}}","element":"{{element}}"}],"type":"ValidationFault"},"time":"2017-09-29T09:17:31.892-07:00"}""";

    [Theory]
    [InlineData("6240", QuickBooksErrorKind.DuplicateName)]
    [InlineData("6140", QuickBooksErrorKind.DuplicateDocNumber)]
    [InlineData("5010", QuickBooksErrorKind.Stale)]
    [InlineData("610", QuickBooksErrorKind.NotFound)]
    [InlineData("2500", QuickBooksErrorKind.Validation)]
    [InlineData("2020", QuickBooksErrorKind.Validation)]
    [InlineData("4000", QuickBooksErrorKind.Validation)]
    [InlineData("6000", QuickBooksErrorKind.Validation)]
    public void FromResponse_DataApiFault400_MapsTheCode(string code, QuickBooksErrorKind expected)
    {
        var sut = QboFaults.FromResponse(400, DataFault(code, "Some Error", "Line"), "1-abc");

        sut.Kind.ShouldBe(expected);
        sut.Code.ShouldBe(code);
        sut.Element.ShouldBe("Line");
        sut.Message.ShouldBe("Some Error");
        sut.Detail.ShouldBe($"detail of {code}");
        sut.IntuitTid.ShouldBe("1-abc");
    }

    [Fact]
    public void FromResponse_GatewayLowerCase401_IsUnauthorizedWithItsCode()
    {
        const string body = """{"warnings":null,"intuitObject":null,"fault":{"error":[{"message":"message=AuthenticationFailed; errorCode=003200; statusCode=401","detail":"Malformed bearer token: too short or too long","code":"3200","element":null}],"type":"AUTHENTICATION"},"report":null,"queryResponse":null,"batchItemResponse":[],"attachableResponse":[],"syncErrorResponse":null,"requestId":null,"time":1633520295688,"status":null,"cdcresponse":[]}""";

        var sut = QboFaults.FromResponse(401, body, "gw-756b01cf");

        sut.Kind.ShouldBe(QuickBooksErrorKind.Unauthorized);
        sut.Code.ShouldBe("3200");
        sut.Detail.ShouldBe("Malformed bearer token: too short or too long");
        sut.Element.ShouldBeNull();
    }

    [Fact]
    public void FromResponse_403ApplicationAuthorizationFailed_IsForbidden()
    {
        const string body = """{"fault":{"error":[{"message":"message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403","detail":"","code":"3100"}],"type":"SERVICE"}}""";

        QboFaults.FromResponse(403, body, null).Kind.ShouldBe(QuickBooksErrorKind.Forbidden);
    }

    [Fact]
    public void FromResponse_429WithXmlBody_IsThrottled()
    {
        const string body = """<IntuitResponse><Fault type="SERVICE"><Error code="3001"><Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message></Error></Fault></IntuitResponse>""";

        var sut = QboFaults.FromResponse(429, body, null);

        sut.Kind.ShouldBe(QuickBooksErrorKind.Throttled);
        sut.IsRetryable.ShouldBeTrue();
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public void FromResponse_ServerError_IsTransient(int status)
    {
        QboFaults.FromResponse(status, "<html>Bad gateway</html>", null).Kind.ShouldBe(QuickBooksErrorKind.Transient);
    }

    [Fact]
    public void FromResponse_SystemFault10000_IsTransient()
    {
        QboFaults.FromResponse(400, DataFault("10000", "An application error has occurred"), null).Kind.ShouldBe(QuickBooksErrorKind.Transient);
    }

    [Fact]
    public void FromResponse_EmptyBody_StillSaysWhatHappened()
    {
        var sut = QboFaults.FromResponse(400, string.Empty, null);

        sut.Kind.ShouldBe(QuickBooksErrorKind.Validation);
        sut.Message.ShouldBe("QuickBooks refused the request (HTTP 400).");
    }

    [Fact]
    public void QuickBooksException_MessageCarriesCodeAndIntuitTid()
    {
        var sut = new QuickBooksException(QboFaults.FromResponse(400, DataFault("6240", "Duplicate Name Exists Error"), "tid-1"));

        sut.Message.ShouldBe("QuickBooks DuplicateName error 6240: Duplicate Name Exists Error (intuit_tid tid-1)");
    }

    [Theory]
    [InlineData("6210", "Account Period Closed")]
    [InlineData("5010", "Account Period Closed")]
    public void FromResponse_AccountPeriodClosed_IsAClosedPeriodNotAStaleObject_WhateverItsCode(string code, string message)
    {
        var sut = QboFaults.FromResponse(400, DataFault(code, message), "tid-1");

        sut.Kind.ShouldBe(QuickBooksErrorKind.Validation, "reading again and resending cannot open the books");
        sut.IsPeriodClosed.ShouldBeTrue();
        QboFaults.FromResponse(400, DataFault("5010", "Stale Object Error"), "tid-1").Kind.ShouldBe(QuickBooksErrorKind.Stale);
    }
}
