using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace Jobkore.Tests.TestSupport;

/// <summary>
/// Every route the built-in sandbox serves under /qbo-sandbox, as a request with no sandbox credentials (no client
/// secret, no bearer token): the authorization matrix and the production acceptance test send each of them as every
/// kind of user. <c>{callback}</c>, <c>{realm}</c> and <c>{invoice}</c> stand for the app's redirect URI (escaped) and
/// a company and invoice that exist (see <see cref="SandboxBooks"/>).
/// </summary>
internal static class SandboxRoutes
{
    public const string Base = "/qbo-sandbox";
    public const string SeededRealm = "9341452713218474";
    private const string Form = "application/x-www-form-urlencoded";
    private const string JsonType = "application/json";

    public static readonly SandboxRoute Discovery = new("GET", "/.well-known/openid_sandbox_configuration", PublicMetadata: true);
    public static readonly SandboxRoute ProductionDiscovery = new("GET", "/.well-known/openid_configuration", PublicMetadata: true);
    public static readonly SandboxRoute Jwks = new("GET", "/op/v1/jwks", PublicMetadata: true);
    public static readonly SandboxRoute AuthorizePage = new("GET",
        "/connect/oauth2?client_id=jobkore-demo-client&response_type=code&scope=com.intuit.quickbooks.accounting&redirect_uri={callback}&state=matrix");
    public static readonly SandboxRoute AuthorizeDecision = new("POST", "/connect/oauth2", Form,
        "client_id=jobkore-demo-client&redirect_uri={callback}&state=matrix&scope=com.intuit.quickbooks.accounting&realmId={realm}&decision=connect");
    public static readonly SandboxRoute Token = new("POST", "/oauth2/v1/tokens/bearer", Form, "grant_type=authorization_code&code=guessed&redirect_uri={callback}");
    public static readonly SandboxRoute Revoke = new("POST", "/v2/oauth2/tokens/revoke", JsonType, """{"token":"guessed"}""");
    public static readonly SandboxRoute UserInfo = new("GET", "/v1/openid_connect/userinfo");
    public static readonly SandboxRoute Read = new("GET", "/v3/company/{realm}/invoice/{invoice}");
    public static readonly SandboxRoute CompanyInfo = new("GET", "/v3/company/{realm}/companyinfo/{realm}");
    public static readonly SandboxRoute Preferences = new("GET", "/v3/company/{realm}/preferences");
    public static readonly SandboxRoute Query = new("GET", "/v3/company/{realm}/query?query=select%20*%20from%20Customer");
    public static readonly SandboxRoute QueryPost = new("POST", "/v3/company/{realm}/query", "application/text", "select * from Invoice");
    public static readonly SandboxRoute Write = new("POST", "/v3/company/{realm}/customer?requestid=anonymous-1", JsonType, """{"DisplayName":"Written Anonymously"}""");
    public static readonly SandboxRoute Batch = new("POST", "/v3/company/{realm}/batch?requestid=anonymous-2", JsonType,
        """{"BatchItemRequest":[{"bId":"1","operation":"create","Customer":{"DisplayName":"Batched Anonymously"}}]}""");
    public static readonly SandboxRoute Companies = new("GET", "/_sandbox/companies");
    public static readonly SandboxRoute Company = new("GET", "/_sandbox/companies/{realm}");
    public static readonly SandboxRoute CompanyPage = new("GET", "/_sandbox/companies/{realm}/view");
    public static readonly SandboxRoute InvoicePage = new("GET", "/_sandbox/companies/{realm}/invoices/{invoice}");
    public static readonly SandboxRoute SeededCompany = new("GET", $"/_sandbox/companies/{SeededRealm}");
    public static readonly SandboxRoute SetFaults = new("POST", "/_sandbox/faults", JsonType, """{"settings":{"serverErrorRate":1}}""");
    public static readonly SandboxRoute ClearFaults = new("DELETE", "/_sandbox/faults");
    public static readonly SandboxRoute ExpireTokens = new("POST", "/_sandbox/tokens/expire", JsonType, """{"realmId":"{realm}"}""");
    public static readonly SandboxRoute RevokeTokens = new("POST", "/_sandbox/tokens/revoke", JsonType, """{"realmId":"{realm}"}""");

    public static readonly SandboxRoute Cdc = new("GET", "/v3/company/{realm}/cdc?entities=Customer,Invoice&changedSince=2026-11-30T00:00:00Z");
    public static readonly SandboxRoute InspectionScript = new("GET", "/_sandbox/inspection.js", PublicMetadata: true);
    public static readonly SandboxRoute Webhooks = new("GET", "/_sandbox/webhooks");

    // Changes as a QuickBooks user, aimed at records that do not exist, so the matrix changes nobody's books.
    public static readonly SandboxRoute UserCreate = new("POST", "/_sandbox/companies/{realm}/user/invoice/create", JsonType,
        """{"CustomerRef":{"value":"999999"},"Line":[{"DetailType":"SalesItemLineDetail","Amount":10,"SalesItemLineDetail":{}}]}""");
    public static readonly SandboxRoute UserPreferences = new("POST", "/_sandbox/companies/{realm}/user/preferences/update", JsonType, """{"TaxPrefs":{"PartnerTaxEnabled":"yes"}}""");
    public static readonly SandboxRoute UserUpdate = new("POST", "/_sandbox/companies/{realm}/user/invoice/999999/update", JsonType, """{"PrivateNote":"From the matrix"}""");
    public static readonly SandboxRoute UserDelete = new("POST", "/_sandbox/companies/{realm}/user/invoice/999999/delete", JsonType, "{}");
    public static readonly SandboxRoute UserVoid = new("POST", "/_sandbox/companies/{realm}/user/invoice/999999/void", JsonType, "{}");
    public static readonly SandboxRoute UserMerge = new("POST", "/_sandbox/companies/{realm}/user/customer/999999/merge?into=999998", JsonType, "{}");
    public static readonly SandboxRoute UserInactive = new("POST", "/_sandbox/companies/{realm}/user/item/999999/inactive", JsonType, "{}");

    public static IReadOnlyList<SandboxRoute> All { get; } =
    [
        Discovery, ProductionDiscovery, Jwks, AuthorizePage, AuthorizeDecision, Token, Revoke, UserInfo, Read, CompanyInfo, Preferences, Query, QueryPost, Write, Batch,
        Cdc, Companies, Company, CompanyPage, InvoicePage, SeededCompany, InspectionScript, Webhooks, UserCreate, UserPreferences, UserUpdate, UserDelete, UserVoid, UserMerge, UserInactive,
        SetFaults, ClearFaults, ExpireTokens, RevokeTokens,
    ];
}

/// <summary>One request to the sandbox; <c>PublicMetadata</c>: a document Intuit publishes to everyone (discovery, signing keys), no company's data.</summary>
internal sealed record SandboxRoute(string Method, string Path, string? ContentType = null, string? Body = null, bool PublicMetadata = false)
{
    /// <summary>The path as the matrix shows it, placeholders kept.</summary>
    public string Label => $"{Method} {SandboxRoutes.Base}{Path}";

    public HttpRequestMessage ToRequest(Uri origin, SandboxBooks books)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(books);
        var callback = Uri.EscapeDataString(new Uri(origin, "/integrations/quickbooks/callback").ToString());
        string Fill(string text) => text.Replace("{callback}", callback, StringComparison.Ordinal)
            .Replace("{realm}", books.Realm, StringComparison.Ordinal).Replace("{invoice}", books.Invoice, StringComparison.Ordinal);
        var request = new HttpRequestMessage(new HttpMethod(Method), SandboxRoutes.Base + Fill(Path));
        if (Body is not null)
        {
            request.Content = new StringContent(Fill(Body), Encoding.UTF8, ContentType!);
        }

        return request;
    }
}

/// <summary>A sandbox company with an invoice in it, written as an app would: consent, code exchange, API writes.</summary>
internal sealed record SandboxBooks(string Realm, string Invoice)
{
    private const string ClientId = "jobkore-demo-client";
    private const string ClientSecret = "jobkore-demo-secret";

    /// <summary>
    /// Consents for <paramref name="realm"/> (or the only company the consent page offers) through <paramref name="client"/>,
    /// whose requests are signed in as needed, and writes a customer and an invoice there.
    /// </summary>
    public static async Task<SandboxBooks> WriteAsync(HttpClient client, string? realm = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var ct = TestContext.Current.CancellationToken;
        var origin = client.BaseAddress!;
        using (var page = SandboxRoutes.AuthorizePage.ToRequest(origin, new SandboxBooks(string.Empty, string.Empty)))
        using (var consent = await client.SendAsync(page, ct))
        {
            consent.StatusCode.ShouldBe(HttpStatusCode.OK);
            realm ??= QuickBooksApp.OfferedRealms(await consent.Content.ReadAsStringAsync(ct)).Single();
        }

        using var connect = SandboxRoutes.AuthorizeDecision.ToRequest(origin, new SandboxBooks(realm, string.Empty));
        using var decision = await client.SendAsync(connect, ct);
        decision.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var code = QueryHelpers.ParseQuery(decision.Headers.Location!.Query)["code"].ToString();
        var callback = new Uri(origin, "/integrations/quickbooks/callback").ToString();

        using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, $"{SandboxRoutes.Base}/oauth2/v1/tokens/bearer")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = callback }),
        };
        tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}")));
        using var tokens = await client.SendAsync(tokenRequest, ct);
        var access = (await tokens.Content.ReadFromJsonAsync<JsonObject>(ct))!["access_token"]!.GetValue<string>();

        async Task<string> CreateAsync(string entity, object record)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{SandboxRoutes.Base}/v3/company/{realm}/{entity}?requestid={Guid.NewGuid():N}")
            {
                Content = JsonContent.Create(record, options: new System.Text.Json.JsonSerializerOptions()),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
            using var response = await client.SendAsync(request, ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(ct));
            var created = (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!;
            return created[char.ToUpperInvariant(entity[0]) + entity[1..]]!["Id"]!.GetValue<string>();
        }

        var customer = await CreateAsync("customer", new { DisplayName = "Inspected Customer" });
        var invoice = await CreateAsync("invoice", new
        {
            CustomerRef = new { value = customer },
            Line = new object[] { new { DetailType = "SalesItemLineDetail", Amount = 250, Description = "Inspected work", SalesItemLineDetail = new { } } },
        });
        return new SandboxBooks(realm, invoice);
    }
}
