using System.Globalization;
using System.Text.Json.Nodes;

namespace Jobkore.QuickBooksSandbox.Accounting;

/// <summary>A QBO fault with the HTTP status it is sent with (docs/quickbooks-api.md §4).</summary>
internal sealed class FaultException(int status, JsonObject body) : Exception("QuickBooks fault")
{
    public int Status { get; } = status;

    public JsonObject Body { get; } = body;

    /// <summary>The HTTP answer, with QBO's <c>time</c>: the gateway's 401 writes it in epoch milliseconds, the API as a date-time.</summary>
    public IResult Answer(DateTimeOffset now)
    {
        Body["time"] = Status == 401 ? now.ToUnixTimeMilliseconds() : Json.Time(now);
        return Results.Content(Body.ToJsonString(Json.Output), "application/json", statusCode: Status);
    }
}

/// <summary>The fault bodies QBO sends, in both envelopes (docs/quickbooks-api.md §4 "Fault JSON", "Common codes").</summary>
internal static class Faults
{
    public static FaultException Validation(string code, string message, string detail, string element = "") =>
        new(400, Envelope("ValidationFault", code, message, detail, element));

    public static FaultException RequiredMissing(string element) =>
        Validation("2020", "Required param missing, need to supply the required value for the API", $"Required parameter {element} is missing in the request", element);

    public static FaultException InvalidReference(string element) =>
        Validation("2500", "Invalid Reference Id", "Invalid Reference Id : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.", element);

    public static FaultException NotFound() =>
        Validation("610", "Object Not Found", "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.");

    public static FaultException Stale() =>
        Validation("5010", "Stale Object Error", "Stale Object Error : You and root were working on this at the same time. root finished before you did, so your work was not saved.");

    /// <summary>QBO's 2050 for a string over its limit, worded as QBO words it (consolibyte/quickbooks-php issue #79).</summary>
    public static FaultException InvalidStringLength(string element, int max, int supplied) =>
        Validation("2050", "Invalid String Length", $"String length is either shorter or longer than supported by specification, String length specified does not match the supported length. Min:0 Max:{max} supported. Supplied length:{supplied}", element);

    public static FaultException DuplicateName() =>
        Validation("6240", "Duplicate Name Exists Error", "The name supplied already exists. : Another customer, vendor or employee is already using this \nname. Please use a different name.");

    public static FaultException DuplicateDocNumber() =>
        Validation("6140", "Duplicate Document Number Error", "Duplicate Document Number Error : You must specify a different number. This number has already been used.", "DocNumber");

    /// <summary>
    /// A transaction dated on or before the closing date: Intuit documents 6210 "Account Period Closed"
    /// (docs/quickbooks-api.md §4). One field report (python-quickbooks issue #208) saw the same Message under 5010, so a
    /// client should read the Message as well as the code.
    /// </summary>
    public static FaultException PeriodClosed() =>
        Validation("6210", "Account Period Closed", "Account Period Closed : The account period has closed.", "TxnDate");

    /// <summary>
    /// A sales line whose Amount is not its Qty × UnitPrice rounded half up to cents: QBO refuses it rather than pick
    /// one (6070, the supplied value written with group separators, as field reports quote it: "Supplied value:1,861.07").
    /// </summary>
    public static FaultException AmountNotQtyTimesPrice(decimal supplied) =>
        Validation("6070", "Amount is not equal to UnitPrice * Qty",
            $"Amount is not equal to UnitPrice * Qty. Supplied value:{supplied.ToString("#,##0.##", CultureInfo.InvariantCulture)}", "Line.Amount");

    public static FaultException Business(string reason, string element = "") =>
        Validation("6000", "A business validation error has occurred while processing your request", $"Business Validation Error: {reason}", element);

    public static FaultException QueryParse(string detail) => Validation("4000", "Error parsing query", $"QueryParserError: {detail}");

    public static FaultException QueryInvalid(string detail) => Validation("4001", "Invalid query", $"QueryValidationError: {detail}");

    public static FaultException Unsupported(string detail) => Validation("500", "Unsupported Operation", detail);

    /// <summary>An API path with no resource behind it (docs/quickbooks-api.md §4 code 500; the wording is RESTEasy's "not found", wrapped by QBO).</summary>
    public static FaultException UnknownResource(string relative, string fullPath) =>
        Unsupported($"Operation Could not find resource for relative : {relative} of full path: {fullPath} is not supported.");

    /// <summary>A path outside the API. Intuit's answer there is undocumented; this is a 404 in the API's JSON envelope.</summary>
    public static FaultException NoRoute(string path) =>
        new(404, Envelope("ValidationFault", "404", "Resource Not Found", $"No resource is served at {path}.", string.Empty));

    /// <summary>The gateway's lower-case envelope for a missing, bad, expired or revoked token (docs/quickbooks-api.md §4).</summary>
    public static FaultException Unauthorized(string detail) => new(401, new JsonObject
    {
        ["warnings"] = null,
        ["intuitObject"] = null,
        ["fault"] = new JsonObject
        {
            ["error"] = new JsonArray(new JsonObject
            {
                ["message"] = "message=AuthenticationFailed; errorCode=003200; statusCode=401",
                ["detail"] = detail,
                ["code"] = "3200",
                ["element"] = null,
            }),
            ["type"] = "AUTHENTICATION",
        },
        ["report"] = null,
        ["queryResponse"] = null,
        ["batchItemResponse"] = new JsonArray(),
        ["attachableResponse"] = new JsonArray(),
        ["syncErrorResponse"] = null,
        ["requestId"] = null,
        ["status"] = null,
        ["cdcresponse"] = new JsonArray(),
    });

    /// <summary>429 when a company is over Intuit's limits (docs/quickbooks-api.md §3, code 3001; the Detail's two spaces are Intuit's).</summary>
    public static FaultException Throttled() =>
        new(429, Envelope("SERVICE", "3001", "message=ThrottleExceeded; errorCode=003001; statusCode=429", "The request limit was reached.  Try again later", string.Empty));

    /// <summary>An injected server failure: 503 with QBO's SystemFault (code 10000).</summary>
    public static FaultException ServerError() =>
        new(503, Envelope("SystemFault", "10000", "An application error has occurred while processing your request", "System Failure Error: Something went wrong (injected by the sandbox).", string.Empty));

    /// <summary>An unexpected failure while handling a request: 500 with QBO's SystemFault (code 10000).</summary>
    public static FaultException SystemFailure(string what) =>
        new(500, Envelope("SystemFault", "10000", "An application error has occurred while processing your request", $"System Failure Error: {what} in the sandbox.", string.Empty));

    /// <summary>403 for a company the token was not granted (docs/quickbooks-api.md §4, code 3100).</summary>
    public static FaultException Forbidden() => new(403, new JsonObject
    {
        ["fault"] = new JsonObject
        {
            ["error"] = new JsonArray(new JsonObject
            {
                ["message"] = "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403",
                ["detail"] = string.Empty,
                ["code"] = "3100",
                ["element"] = null,
            }),
            ["type"] = "SERVICE",
        },
    });

    public static JsonObject Envelope(string type, string code, string message, string detail, string element) => new()
    {
        ["Fault"] = new JsonObject
        {
            ["Error"] = new JsonArray(new JsonObject { ["Message"] = message, ["Detail"] = detail, ["code"] = code, ["element"] = element }),
            ["type"] = type,
        },
    };
}
