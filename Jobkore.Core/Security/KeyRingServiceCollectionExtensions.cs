using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jobkore.Core.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Core.Security;

public static class KeyRingServiceCollectionExtensions
{
    private const string PathKey = $"{KeyRingOptions.SectionName}:{nameof(KeyRingOptions.CertificatePath)}";
    private const string PasswordKey = $"{KeyRingOptions.SectionName}:{nameof(KeyRingOptions.CertificatePassword)}";

    /// <summary>
    /// Data Protection with its keys kept, so a restart still reads stored tokens: in the database on PostgreSQL, which
    /// every app instance shares (a token encrypted on one is read on another, and so are cookies), on disk beside the
    /// SQLite file otherwise; encrypted with the certificate
    /// of <c>DataProtection:CertificatePath</c> when it is set. The certificate is read here, at composition, because
    /// <see cref="DataProtectionBuilderExtensions.ProtectKeysWithCertificate(IDataProtectionBuilder, X509Certificate2)"/>
    /// takes it loaded: a missing or unreadable file stops the app before it starts, naming the setting.
    /// </summary>
    public static IServiceCollection AddJobkoreKeyRing(this IServiceCollection services, IConfiguration configuration, string contentRootPath)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(KeyRingOptions.SectionName).Get<KeyRingOptions>() ?? new KeyRingOptions();
        var builder = services.AddDataProtection().SetApplicationName("Jobkore");
        if (JobkoreDatabase.FromConfiguration(configuration, contentRootPath).IsShared)
        {
            builder.PersistKeysToDbContext<JobkoreDbContext>();
        }
        else
        {
            if (string.IsNullOrWhiteSpace(options.KeysPath))
            {
                throw new InvalidOperationException($"{KeyRingOptions.SectionName}:{nameof(KeyRingOptions.KeysPath)} is empty; name the folder for the Data Protection keys, for example \"App_Data/keys\".");
            }

            builder.PersistKeysToFileSystem(new DirectoryInfo(Path.GetFullPath(options.KeysPath, contentRootPath)));
        }

        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            builder.ProtectKeysWithCertificate(LoadCertificate(Path.GetFullPath(options.CertificatePath, contentRootPath), options.CertificatePassword));
        }

        return services;
    }

    private static X509Certificate2 LoadCertificate(string path, string? password)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{PathKey} names '{path}', which does not exist. Name a .pfx holding the certificate and private key that protect the Data Protection keys, or remove the setting.");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"{PathKey} '{path}' could not be read as a .pfx with the password of {PasswordKey} (environment: DataProtection__CertificatePassword): {ex.Message}", ex);
        }

        using var privateKey = certificate.GetRSAPrivateKey();
        if (privateKey is null)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"{PathKey} '{path}' holds no RSA private key; Data Protection needs one to read its keys back.");
        }

        return certificate;
    }
}
