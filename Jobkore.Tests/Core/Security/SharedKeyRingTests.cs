using Jobkore.Core.Data;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Tests.TestSupport;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Core.Security;

/// <summary>
/// On PostgreSQL the Data Protection key ring is in the database every app instance shares: two instances of the real app
/// on one database, running at the same time, read each other's tokens and cookies' protection, with and without the
/// certificate that encrypts the keys.
/// </summary>
[Trait(DatabaseTraits.Name, DatabaseTraits.PostgreSqlOnly)]
public sealed class SharedKeyRingTests : IDisposable
{
    private const string Password = "shared-key-ring-test-password";
    private readonly string _folder = Directory.CreateTempSubdirectory("jobkore-shared-keyring-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        TestDatabaseServer.Drop(_folder);
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task TwoInstances_ATokenEncryptedOnOneIsReadOnTheOther_AndTheKeysAreInTheDatabaseNotOnDisk()
    {
        TestDatabaseServer.IsPostgreSql.ShouldBeTrue($"This test runs in ./test.sh's PostgreSQL pass ({TestDatabaseServer.ProviderVariable}=PostgreSql).");
        await using var first = new QuickBooksApp(folder: _folder);
        await first.ConnectAcmeAsync();
        await using var second = new QuickBooksApp(folder: _folder);

        (await AccessTokenAsync(second)).ShouldBe(await AccessTokenAsync(first));
        var cookie = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie").Protect("signed in as Dana");
        second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie").Unprotect(cookie).ShouldBe("signed in as Dana");

        Directory.Exists(Path.Combine(_folder, "keys")).ShouldBeFalse();
        var keys = await KeysAsync(first);
        keys.Count.ShouldBe(1);
        keys.ShouldAllBe(xml => xml.Contains("<masterKey", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CertificateSet_TheKeysInTheDatabaseAreEncrypted_AndAnotherInstanceReadsTheTokens()
    {
        TestDatabaseServer.IsPostgreSql.ShouldBeTrue($"This test runs in ./test.sh's PostgreSQL pass ({TestDatabaseServer.ProviderVariable}=PostgreSql).");
        var settings = new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = TestCertificates.CreatePfx(_folder, Password),
            ["DataProtection:CertificatePassword"] = Password,
        };
        await using var first = new QuickBooksApp(settings: settings, folder: _folder);
        await first.ConnectAcmeAsync();
        await using var second = new QuickBooksApp(settings: settings, folder: _folder);

        (await AccessTokenAsync(second)).ShouldBe(await AccessTokenAsync(first));
        var keys = await KeysAsync(second);
        keys.ShouldNotBeEmpty();
        keys.ShouldAllBe(xml => xml.Contains("<encryptedSecret", StringComparison.Ordinal) && !xml.Contains("<masterKey", StringComparison.Ordinal));

        // What is stored cannot be read without the certificate.
        var stored = await StoredAccessTokenAsync(first);
        var withoutCertificate = DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(_folder, "no-keys")), b => b.SetApplicationName("Jobkore"));
        Should.Throw<System.Security.Cryptography.CryptographicException>(() => new QboTokenProtector(withoutCertificate).Unprotect(stored));
    }

    private static async Task<string> AccessTokenAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        return await scope.ServiceProvider.GetRequiredService<Jobkore.Core.QuickBooks.Client.IQboAccessTokens>().GetAccessTokenAsync(QuickBooksApp.AcmeRealm, null, Ct);
    }

    private static async Task<List<string>> KeysAsync(QuickBooksApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = JobkoreDbContext.ForBusinessesOnly(scope.ServiceProvider.GetRequiredService<DbContextOptions<JobkoreDbContext>>());
        return await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync(Ct);
    }

    private static async Task<string> StoredAccessTokenAsync(QuickBooksApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = JobkoreDbContext.ForBusinessesOnly(scope.ServiceProvider.GetRequiredService<DbContextOptions<JobkoreDbContext>>());
        return await db.QuickBooksConnections.IgnoreQueryFilters().Select(c => c.ProtectedAccessToken).SingleAsync(Ct);
    }
}
