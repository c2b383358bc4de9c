using System.Security.Cryptography;
using Jobkore.Core.QuickBooks.Client;
using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Core.Sync;
using Jobkore.Tests.TestSupport;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Tests.Core.Security;

/// <summary>
/// The Data Protection key ring on disk (SQLite's), with and without <c>DataProtection:CertificatePath</c>: the real app,
/// connected to the built-in sandbox, restarted on the same folder as a new process would be. On PostgreSQL the keys are in
/// the database: <see cref="SharedKeyRingTests"/>.
/// </summary>
[Trait(DatabaseTraits.Name, DatabaseTraits.SqliteOnly)]
public sealed class KeyRingTests : IDisposable
{
    private const string Password = "key-ring-test-password";
    private readonly string _folder = Directory.CreateTempSubdirectory("jobkore-keyring-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string KeysFolder => Path.Combine(_folder, "keys");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task KeyRing_CertificateSet_KeysOnDiskAreEncrypted_AndARestartStillReadsTheStoredTokens()
    {
        var settings = CertificateSettings(CreatePfx(Password));

        string accessToken;
        await using (var first = new QuickBooksApp(settings: settings, folder: _folder))
        {
            await first.ConnectAcmeAsync();
            accessToken = await AccessTokenAsync(first);
        }

        var keys = KeyFiles();
        keys.ShouldNotBeEmpty();
        keys.ShouldAllBe(xml => xml.Contains("<encryptedSecret", StringComparison.Ordinal) && !xml.Contains("<masterKey", StringComparison.Ordinal));

        await using (var restarted = new QuickBooksApp(settings: settings, folder: _folder))
        {
            (await AccessTokenAsync(restarted)).ShouldBe(accessToken);
        }

        // Without the certificate the stored token cannot be read: the key that encrypted it is itself encrypted.
        var withoutCertificate = DataProtectionProvider.Create(new DirectoryInfo(KeysFolder), b => b.SetApplicationName("Jobkore"));
        var stored = await StoredAccessTokenAsync();
        Should.Throw<CryptographicException>(() => new QboTokenProtector(withoutCertificate).Unprotect(stored));
    }

    [Fact]
    public async Task KeyRing_NoCertificate_KeysOnDiskAreInTheClear_AndARestartStillReadsTheStoredTokens()
    {
        string accessToken;
        await using (var first = new QuickBooksApp(folder: _folder))
        {
            await first.ConnectAcmeAsync();
            accessToken = await AccessTokenAsync(first);
        }

        var keys = KeyFiles();
        keys.ShouldNotBeEmpty();
        keys.ShouldAllBe(xml => xml.Contains("<masterKey", StringComparison.Ordinal) && !xml.Contains("<encryptedSecret", StringComparison.Ordinal));

        await using var restarted = new QuickBooksApp(folder: _folder);
        (await AccessTokenAsync(restarted)).ShouldBe(accessToken);
    }

    /// <summary>
    /// An operator sets the certificate on a key ring already in use: from that start on, what is encrypted is
    /// encrypted with a key the certificate protects, while what the old key encrypted is still read.
    /// </summary>
    [Fact]
    public async Task KeyRing_CertificateSetLater_ANewCertificateProtectedKeyIsUsedAtOnce_AndTheOldTokensStillRead()
    {
        string accessToken;
        await using (var first = new QuickBooksApp(folder: _folder))
        {
            await first.ConnectAcmeAsync();
            accessToken = await AccessTokenAsync(first);
        }

        var settings = CertificateSettings(CreatePfx(Password));
        await using (var restarted = new QuickBooksApp(settings: settings, folder: _folder))
        {
            (await AccessTokenAsync(restarted)).ShouldBe(accessToken);
            var protectedNow = new QboTokenProtector(restarted.Services.GetRequiredService<IDataProtectionProvider>()).Protect("written after the certificate was set");

            Should.Throw<CryptographicException>(() => new QboTokenProtector(WithoutCertificateOnACopy()).Unprotect(protectedNow));
        }

        var keys = KeyFiles();
        keys.Count(xml => xml.Contains("<encryptedSecret", StringComparison.Ordinal)).ShouldBe(1);
        await using (var again = new QuickBooksApp(settings: settings, folder: _folder))
        {
            (await AccessTokenAsync(again)).ShouldBe(accessToken);
        }

        KeyFiles().Count.ShouldBe(keys.Count, "a second start with the certificate makes no further key");
    }

    [Fact]
    public async Task KeyRing_CertificateSetLater_AKeyInTheClearNotYetActiveIsRevoked_SoItNeverTakesOver()
    {
        Guid nextKey;
        await using (var first = new QuickBooksApp(folder: _folder))
        {
            await first.ConnectAcmeAsync();
            var now = TimeProvider.System.GetUtcNow();
            nextKey = first.Services.GetRequiredService<IKeyManager>().CreateNewKey(now.AddDays(10), now.AddDays(100)).KeyId;
        }

        await using var restarted = new QuickBooksApp(settings: CertificateSettings(CreatePfx(Password)), folder: _folder);
        var keys = restarted.Services.GetRequiredService<IKeyManager>().GetAllKeys();

        keys.Single(key => key.KeyId == nextKey).IsRevoked.ShouldBeTrue();
        keys.Count(key => !key.IsRevoked).ShouldBe(2, "the key in use before, and the one the certificate protects");
    }

    /// <summary>Keys folder lost (or certificate changed): the stored tokens cannot be read, and the way out is a new Connect.</summary>
    [Fact]
    public async Task KeyRing_KeysLost_TheConnectionNeedsReconnecting_TheSyncAndTheDisconnectUrlPageSaySo()
    {
        await using (var first = new QuickBooksApp(folder: _folder))
        {
            await first.ConnectAcmeAsync();
        }

        Directory.Delete(KeysFolder, recursive: true);
        await using var restarted = new QuickBooksApp(folder: _folder);

        var run = await restarted.Services.GetRequiredService<SyncRuns>().RequestAsync(restarted.BusinessId, null, SyncTrigger.SyncNow);
        await using var scope = restarted.SignedInScope();
        var check = await scope.ServiceProvider.GetRequiredService<QuickBooksConnectionCheck>().CheckAsync(Ct);

        run.Summary.Synced.ShouldBe(0);
        check.Outcome.ShouldBe(QuickBooksConnectionCheckOutcome.Ended);
        check.Connection!.Status.ShouldBe(QuickBooksConnectionStatus.ReconnectNeeded);
        restarted.TokenRequests.Refreshes.ShouldBe(0, "nothing readable to refresh with");
    }

    [Fact]
    public async Task Start_CertificateFileMissing_StopsNamingTheSetting()
    {
        await using var sut = new JobkoreAppFactory(_folder);
        sut.Settings["DataProtection:CertificatePath"] = Path.Combine(_folder, "absent.pfx");

        var ex = Should.Throw<InvalidOperationException>(() => sut.CreateClient());

        ex.Message.ShouldStartWith($"DataProtection:CertificatePath names '{Path.Combine(_folder, "absent.pfx")}', which does not exist.");
    }

    [Fact]
    public async Task Start_CertificateWrongPassword_StopsNamingThePasswordSetting()
    {
        await using var sut = new JobkoreAppFactory(_folder);
        foreach (var (key, value) in CertificateSettings(CreatePfx(Password)))
        {
            sut.Settings[key] = value;
        }

        sut.Settings["DataProtection:CertificatePassword"] = "not-the-password";

        var ex = Should.Throw<InvalidOperationException>(() => sut.CreateClient());

        ex.Message.ShouldContain("could not be read as a .pfx with the password of DataProtection:CertificatePassword");
    }

    private static Dictionary<string, string?> CertificateSettings(string pfxPath) => new()
    {
        ["DataProtection:CertificatePath"] = pfxPath,
        ["DataProtection:CertificatePassword"] = Password,
    };

    private static async Task<string> AccessTokenAsync(QuickBooksApp app)
    {
        await using var scope = app.SignedInScope();
        return await scope.ServiceProvider.GetRequiredService<IQboAccessTokens>().GetAccessTokenAsync(QuickBooksApp.AcmeRealm, null, Ct);
    }

    private async Task<string> StoredAccessTokenAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "jobkore.db")};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT ProtectedAccessToken FROM QuickBooksConnections";
        return (string)(await command.ExecuteScalarAsync(Ct))!;
    }

    /// <summary>Data Protection without the certificate, on a copy of the keys: failing to read them, it would write a key of its own.</summary>
    private IDataProtectionProvider WithoutCertificateOnACopy()
    {
        var copy = Directory.CreateDirectory(Path.Combine(_folder, "keys-copy-" + Guid.NewGuid().ToString("N")));
        foreach (var file in Directory.GetFiles(KeysFolder))
        {
            File.Copy(file, Path.Combine(copy.FullName, Path.GetFileName(file)));
        }

        return DataProtectionProvider.Create(copy, b => b.SetApplicationName("Jobkore"));
    }

    private List<string> KeyFiles() => [.. Directory.GetFiles(KeysFolder, "*.xml").Select(File.ReadAllText)];

    private string CreatePfx(string password) => TestCertificates.CreatePfx(_folder, password);
}
