using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>Intuit OAuth 2.0 as the sandbox serves it (issue rules 1–4; docs/quickbooks-api.md §1), over real HTTP.</summary>
public sealed class SandboxOAuthTests(SandboxHost sandbox) : IClassFixture<SandboxHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("openid_sandbox_configuration")]
    [InlineData("openid_configuration")]
    public async Task Discovery_HasIntuitsKeys_AllPointingIntoTheSandbox(string document)
    {
        var json = await sandbox.Http.GetFromJsonAsync<JsonObject>($"{SandboxHost.BasePath}/.well-known/{document}", Ct);

        var root = $"{sandbox.Http.BaseAddress!.ToString().TrimEnd('/')}{SandboxHost.BasePath}";
        json!["authorization_endpoint"]!.GetValue<string>().ShouldBe($"{root}/connect/oauth2");
        json["token_endpoint"]!.GetValue<string>().ShouldBe($"{root}/oauth2/v1/tokens/bearer");
        json["revocation_endpoint"]!.GetValue<string>().ShouldBe($"{root}/v2/oauth2/tokens/revoke");
        json["userinfo_endpoint"]!.GetValue<string>().ShouldBe($"{root}/v1/openid_connect/userinfo");
        json["jwks_uri"]!.GetValue<string>().ShouldStartWith(root);
        json["issuer"]!.GetValue<string>().ShouldStartWith(root);
        json["response_types_supported"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["code"]);
    }

    [Fact]
    public async Task AuthorizePage_ShowsTheAppScopesAndBothCompaniesAsRadioButtons()
    {
        var html = await sandbox.Http.GetStringAsync(
            $"{SandboxHost.BasePath}/connect/oauth2?client_id={SandboxHost.ClientId}&response_type=code&scope=com.intuit.quickbooks.accounting%20openid&redirect_uri={Uri.EscapeDataString(sandbox.RedirectUri)}&state=abc", Ct);

        html.ShouldContain("Connect Jobkore to QuickBooks");
        html.ShouldContain("Signed in as Sandy Sandbox");
        html.ShouldContain("Read and write your accounting data");
        html.ShouldContain($"<input type=\"radio\" name=\"realmId\" value=\"{SandboxHost.AcmeRealm}\" checked> Acme Plumbing &amp; Heating LLC");
        html.ShouldContain($"<input type=\"radio\" name=\"realmId\" value=\"{SandboxHost.SecondRealm}\"> Sandbox Company US 2");
        html.ShouldContain(">Connect</button>");
        html.ShouldContain(">Cancel</button>");
    }

    [Fact]
    public async Task Authorize_UnknownClient_IsAnErrorPageNotARedirect()
    {
        using var response = await sandbox.Http.GetAsync($"{SandboxHost.BasePath}/connect/oauth2?client_id=stranger&response_type=code&scope=com.intuit.quickbooks.accounting&redirect_uri={Uri.EscapeDataString(sandbox.RedirectUri)}&state=abc", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("invalid_client");
    }

    [Fact]
    public async Task Authorize_UnregisteredRedirectUri_IsAnErrorPageNeverARedirect()
    {
        using var response = await sandbox.Http.GetAsync($"{SandboxHost.BasePath}/connect/oauth2?client_id={SandboxHost.ClientId}&response_type=code&scope=com.intuit.quickbooks.accounting&redirect_uri={Uri.EscapeDataString("https://evil.example/steal")}&state=abc", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Headers.Location.ShouldBeNull();
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("is not registered for this app");
    }

    [Fact]
    public async Task Cancel_RedirectsBackWithAccessDeniedAndTheState()
    {
        var redirect = await sandbox.DecideAsync(SandboxHost.AcmeRealm, decision: "cancel", state: "st-42");

        redirect.ToString().ShouldBe($"{sandbox.RedirectUri}?error=access_denied&state=st-42");
    }

    [Fact]
    public async Task Connect_RedirectsWithCodeStateAndTheChosenRealm()
    {
        var redirect = await sandbox.DecideAsync(SandboxHost.SecondRealm, state: "st-7");

        redirect.GetLeftPart(UriPartial.Path).ShouldBe(sandbox.RedirectUri);
        SandboxHost.Param(redirect, "state").ShouldBe("st-7");
        SandboxHost.Param(redirect, "realmId").ShouldBe(SandboxHost.SecondRealm);
        SandboxHost.Param(redirect, "code").Length.ShouldBeGreaterThan(20);
    }

    [Fact]
    public async Task Token_CodeExchange_GivesIntuitsTokenResponse_AndTheCodeWorksOnce()
    {
        var code = SandboxHost.Param(await sandbox.DecideAsync(SandboxHost.AcmeRealm), "code");
        var form = new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = sandbox.RedirectUri };

        using var first = await sandbox.TokenAsync(form);
        using var second = await sandbox.TokenAsync(form);

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        first.Headers.Contains("intuit_tid").ShouldBeTrue();
        var json = (await first.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
        json["token_type"]!.GetValue<string>().ShouldBe("bearer");
        json["expires_in"]!.GetValue<long>().ShouldBe(3600);
        json["x_refresh_token_expires_in"]!.GetValue<long>().ShouldBe(8726400);
        second.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await second.Content.ReadFromJsonAsync<JsonObject>(Ct))!["error"]!.GetValue<string>().ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task Token_CodeAfterItsShortLife_IsInvalidGrant()
    {
        var code = SandboxHost.Param(await sandbox.DecideAsync(SandboxHost.AcmeRealm), "code");
        sandbox.Time.Advance(TimeSpan.FromMinutes(6));

        using var response = await sandbox.TokenAsync(new() { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = sandbox.RedirectUri });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Token_WrongClientSecret_IsInvalidClient401()
    {
        using var response = await sandbox.TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = "x" }, SandboxHost.Basic(secret: "wrong"));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["error"]!.GetValue<string>().ShouldBe("invalid_client");
    }

    [Fact]
    public async Task Refresh_RotatesTheRefreshToken_OldOneWorksOnlyDuringTheGracePeriod()
    {
        var (_, refresh) = await sandbox.ConnectAsync();

        using var rotated = await sandbox.TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh });
        var newRefresh = (await rotated.Content.ReadFromJsonAsync<JsonObject>(Ct))!["refresh_token"]!.GetValue<string>();
        sandbox.Time.Advance(TimeSpan.FromHours(23));
        using var withinGrace = await sandbox.TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh });
        sandbox.Time.Advance(TimeSpan.FromHours(2));
        using var afterGrace = await sandbox.TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh });

        newRefresh.ShouldNotBe(refresh);
        withinGrace.StatusCode.ShouldBe(HttpStatusCode.OK);
        afterGrace.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await afterGrace.Content.ReadFromJsonAsync<JsonObject>(Ct))!["error"]!.GetValue<string>().ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task AccessToken_AfterAnHour_Is401WithTheGatewayEnvelope()
    {
        var (access, _) = await sandbox.ConnectAsync();
        sandbox.Time.Advance(TimeSpan.FromSeconds(3601));

        var (status, body, _) = await sandbox.ApiAsync(access, HttpMethod.Get, SandboxHost.AcmeRealm, $"companyinfo/{SandboxHost.AcmeRealm}?minorversion=75");

        status.ShouldBe(HttpStatusCode.Unauthorized);
        body["fault"]!["error"]![0]!["code"]!.GetValue<string>().ShouldBe("3200");
        body["fault"]!["type"]!.GetValue<string>().ShouldBe("AUTHENTICATION");
    }

    [Fact]
    public async Task Revoke_EndsTheGrant_ApiIs401AndRefreshIsInvalidGrant()
    {
        var (access, refresh) = await sandbox.ConnectAsync();
        using var revoke = new HttpRequestMessage(HttpMethod.Post, $"{SandboxHost.BasePath}/v2/oauth2/tokens/revoke") { Content = JsonContent.Create(new { token = refresh }) };
        revoke.Headers.Authorization = SandboxHost.Basic();

        using var revoked = await sandbox.Http.SendAsync(revoke, Ct);
        var (status, _, _) = await sandbox.ApiAsync(access, HttpMethod.Get, SandboxHost.AcmeRealm, $"companyinfo/{SandboxHost.AcmeRealm}");
        using var refreshAfter = await sandbox.TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh });

        revoked.StatusCode.ShouldBe(HttpStatusCode.OK);
        status.ShouldBe(HttpStatusCode.Unauthorized);
        refreshAfter.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Revoke_FormEncodedToken_EndsTheGrant(bool clientSecretPost)
    {
        var (access, refresh) = await sandbox.ConnectAsync();
        var form = new Dictionary<string, string> { ["token"] = refresh };
        if (clientSecretPost)
        {
            form["client_id"] = SandboxHost.ClientId;
            form["client_secret"] = SandboxHost.ClientSecret;
        }

        using var revoke = new HttpRequestMessage(HttpMethod.Post, $"{SandboxHost.BasePath}/v2/oauth2/tokens/revoke") { Content = new FormUrlEncodedContent(form) };
        revoke.Headers.Authorization = clientSecretPost ? null : SandboxHost.Basic();

        using var revoked = await sandbox.Http.SendAsync(revoke, Ct);
        var (status, _, _) = await sandbox.ApiAsync(access, HttpMethod.Get, SandboxHost.AcmeRealm, $"companyinfo/{SandboxHost.AcmeRealm}");

        revoked.StatusCode.ShouldBe(HttpStatusCode.OK);
        status.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Revoke_BodyNeitherFormNorJson_IsInvalidRequest()
    {
        using var revoke = new HttpRequestMessage(HttpMethod.Post, $"{SandboxHost.BasePath}/v2/oauth2/tokens/revoke") { Content = new StringContent("token=", System.Text.Encoding.UTF8, "text/plain") };
        revoke.Headers.Authorization = SandboxHost.Basic();

        using var response = await sandbox.Http.SendAsync(revoke, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["error"]!.GetValue<string>().ShouldBe("invalid_request");
    }

    [Theory]
    [InlineData(SandboxHost.ClientSecret, HttpStatusCode.OK)]
    [InlineData("wrong", HttpStatusCode.Unauthorized)]
    public async Task Token_ClientSecretPost_AuthenticatesTheClientByTheForm(string secret, HttpStatusCode expected)
    {
        var (_, refresh) = await sandbox.ConnectAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{SandboxHost.BasePath}/oauth2/v1/tokens/bearer")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token", ["refresh_token"] = refresh, ["client_id"] = SandboxHost.ClientId, ["client_secret"] = secret,
            }),
        };

        using var response = await sandbox.Http.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(expected);
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("BASIC")]
    public async Task Token_BasicSchemeInAnyCase_AuthenticatesTheClient(string scheme)
    {
        var (_, refresh) = await sandbox.ConnectAsync();

        using var response = await sandbox.TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh },
            new System.Net.Http.Headers.AuthenticationHeaderValue(scheme, SandboxHost.Basic().Parameter));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Token_WithOpenIdScope_HasAnRs256IdTokenVerifiableWithTheJwks()
    {
        var code = SandboxHost.Param(await sandbox.DecideAsync(SandboxHost.AcmeRealm), "code");
        using var response = await sandbox.TokenAsync(new() { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = sandbox.RedirectUri });
        var idToken = (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id_token"]!.GetValue<string>();
        var jwks = (await sandbox.Http.GetFromJsonAsync<JsonObject>($"{SandboxHost.BasePath}/op/v1/jwks", Ct))!["keys"]![0]!;

        var parts = idToken.Split('.');
        using var rsa = System.Security.Cryptography.RSA.Create(new System.Security.Cryptography.RSAParameters
        {
            Modulus = Base64Url(jwks["n"]!.GetValue<string>()),
            Exponent = Base64Url(jwks["e"]!.GetValue<string>()),
        });
        var payload = JsonNode.Parse(Base64Url(parts[1]))!;

        rsa.VerifyData(System.Text.Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url(parts[2]), System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1).ShouldBeTrue();
        payload["realmid"]!.GetValue<string>().ShouldBe(SandboxHost.AcmeRealm);
        payload["aud"]![0]!.GetValue<string>().ShouldBe(SandboxHost.ClientId);
        payload["iss"]!.GetValue<string>().ShouldEndWith("/qbo-sandbox/op/v1");
    }

    private static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - (padded.Length % 4)) % 4));
    }

    [Fact]
    public async Task UserInfo_WithAccessToken_DescribesTheSandboxUser()
    {
        var (access, _) = await sandbox.ConnectAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{SandboxHost.BasePath}/v1/openid_connect/userinfo");
        request.Headers.Authorization = new("Bearer", access);

        using var response = await sandbox.Http.SendAsync(request, Ct);
        var json = (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;

        json["givenName"]!.GetValue<string>().ShouldBe("Sandy");
        json["email"]!.GetValue<string>().ShouldBe("sandy.sandbox@example.com");
    }

    [Fact]
    public async Task Api_ForACompanyTheTokenWasNotGranted_Is403Code3100()
    {
        var (access, _) = await sandbox.ConnectAsync(SandboxHost.AcmeRealm);

        var (status, body, _) = await sandbox.ApiAsync(access, HttpMethod.Get, SandboxHost.SecondRealm, $"companyinfo/{SandboxHost.SecondRealm}");

        status.ShouldBe(HttpStatusCode.Forbidden);
        body["fault"]!["error"]![0]!["code"]!.GetValue<string>().ShouldBe("3100");
    }
}
