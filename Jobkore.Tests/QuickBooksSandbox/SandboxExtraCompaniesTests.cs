using System.Net;
using System.Text.RegularExpressions;

namespace Jobkore.Tests.QuickBooksSandbox;

/// <summary>
/// QuickBooks:ExtraCompanies: a developer's sandbox with more companies than the two, each with a realm id of its own
/// and books of its own, for several businesses connected at once; a file seeded before gains the ones it lacks.
/// </summary>
public sealed partial class SandboxExtraCompaniesTests : IDisposable
{
    private const string FirstExtra = "9341452713218476";
    private const string SecondExtra = "9341452713218477";
    private const string ThirdExtra = "9341452713218478";
    private readonly string _folder = Directory.CreateTempSubdirectory("jobkore-sandbox-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Consent_ThreeExtraCompanies_OffersTheTwoSeededAndThreeMoreWithDistinctRealms()
    {
        await using var sut = await StartAsync(extraCompanies: 3);

        var html = await sut.Http.GetStringAsync(sut.AuthorizeUrl(), Ct);

        Companies(html).ShouldBe([
            (SandboxHost.AcmeRealm, "Acme Plumbing &amp; Heating LLC"), (SandboxHost.SecondRealm, "Sandbox Company US 2"),
            (FirstExtra, "Sandbox Company US 3"), (SecondExtra, "Sandbox Company US 4"), (ThirdExtra, "Sandbox Company US 5")]);
    }

    [Fact]
    public async Task Api_TwoExtraCompanies_EachKeepsItsOwnBooks()
    {
        await using var sut = await StartAsync(extraCompanies: 2);
        var (first, _) = await sut.ConnectAsync(FirstExtra);
        var (second, _) = await sut.ConnectAsync(SecondExtra);

        var created = await sut.WriteAsync(first, FirstExtra, "customer", new { DisplayName = "Only In US 3" });
        var info = await sut.ApiAsync(second, HttpMethod.Get, SecondExtra, $"companyinfo/{SecondExtra}");
        var inFirst = await sut.ApiAsync(first, HttpMethod.Get, FirstExtra, $"query?query={Uri.EscapeDataString("select * from Customer where DisplayName = 'Only In US 3'")}");
        var inSecond = await sut.ApiAsync(second, HttpMethod.Get, SecondExtra, $"query?query={Uri.EscapeDataString("select * from Customer where DisplayName = 'Only In US 3'")}");
        var crossed = await sut.ApiAsync(first, HttpMethod.Get, SecondExtra, $"companyinfo/{SecondExtra}");

        created.Status.ShouldBe(HttpStatusCode.OK);
        info.Body["CompanyInfo"]!["CompanyName"]!.GetValue<string>().ShouldBe("Sandbox Company US 4");
        inFirst.Body["QueryResponse"]!["Customer"]!.AsArray().Count.ShouldBe(1);
        inSecond.Body["QueryResponse"]!["Customer"].ShouldBeNull();
        crossed.Status.ShouldBe(HttpStatusCode.Forbidden, "a grant for one company never reads another's");
    }

    [Fact]
    public async Task Restart_FileSeededWithoutExtras_KeepsItsRecordsAndGainsTheExtraCompanies()
    {
        var path = Path.Combine(_folder, "qbo-sandbox.db");
        string access;
        await using (var before = await StartAsync(extraCompanies: 0, path))
        {
            (access, _) = await before.ConnectAsync();
            await before.WriteAsync(access, SandboxHost.AcmeRealm, "customer", new { DisplayName = "Kept Across Restarts" });
            Companies(await before.Http.GetStringAsync(before.AuthorizeUrl(), Ct)).Count.ShouldBe(2);
        }

        await using var sut = await StartAsync(extraCompanies: 2, path);

        var offered = Companies(await sut.Http.GetStringAsync(sut.AuthorizeUrl(), Ct)).Select(c => c.Realm);
        var kept = await sut.ApiAsync(access, HttpMethod.Get, SandboxHost.AcmeRealm, $"query?query={Uri.EscapeDataString("select * from Customer where DisplayName = 'Kept Across Restarts'")}");
        offered.ShouldBe([SandboxHost.AcmeRealm, SandboxHost.SecondRealm, FirstExtra, SecondExtra]);
        kept.Body["QueryResponse"]!["Customer"]!.AsArray().Count.ShouldBe(1);
    }

    private static async Task<ExtraCompaniesHost> StartAsync(int extraCompanies, string? path = null)
    {
        var host = new ExtraCompaniesHost(extraCompanies, path);
        await host.InitializeAsync();
        return host;
    }

    private static List<(string Realm, string Name)> Companies(string consentPage) =>
        [.. CompanyInput().Matches(consentPage).Select(m => (m.Groups[1].Value, m.Groups[2].Value))];

    [GeneratedRegex("<input type=\"radio\" name=\"realmId\" value=\"([0-9]+)\"(?: checked)?> ([^<]+)</label>")]
    private static partial Regex CompanyInput();

    private sealed class ExtraCompaniesHost(int extraCompanies, string? path) : SandboxHost
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [
            new("QuickBooks:ExtraCompanies", extraCompanies.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            .. path is null ? [] : new KeyValuePair<string, string?>[] { new("QuickBooks:DatabasePath", path) },
        ];
    }
}
