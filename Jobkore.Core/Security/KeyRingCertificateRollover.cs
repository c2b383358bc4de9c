using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobkore.Core.Security;

/// <summary>
/// Once <c>DataProtection:CertificatePath</c> is set on a key ring that already has keys, Data Protection would go on
/// encrypting tokens and cookies with the current key, written in the clear, until it expires (up to 90 days). At start
/// this makes a new key, encrypted with the certificate, the one in use now, and revokes keys in the clear that have
/// not been used yet; keys in the clear already used stay, so what they encrypted can still be read.
/// </summary>
public static partial class KeyRingCertificateRollover
{
    /// <summary>Data Protection's own key lifetime, for the key made here.</summary>
    public static readonly TimeSpan KeyLifetime = TimeSpan.FromDays(90);

    public static void UseCertificateProtectedKeyNow(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.GetRequiredService<IOptions<KeyManagementOptions>>().Value;
        if (options.XmlEncryptor is null || options.XmlRepository is null)
        {
            return;
        }

        var keyManager = services.GetRequiredService<IKeyManager>();
        // Data Protection dates its keys by the system clock, whatever clock the app is given.
        var now = TimeProvider.System.GetUtcNow();
        var inTheClear = options.XmlRepository.GetAllElements()
            .Where(element => element.Name == "key" && !element.Descendants().Any(node => node.Name.LocalName == "encryptedSecret"))
            .Select(element => (Guid?)element.Attribute("id") ?? Guid.Empty)
            .ToHashSet();
        var usable = keyManager.GetAllKeys().Where(key => !key.IsRevoked && key.ExpirationDate > now).ToList();
        var current = usable.Where(key => key.ActivationDate <= now).MaxBy(key => key.ActivationDate);
        var unusedInTheClear = usable.Where(key => key.ActivationDate > now && inTheClear.Contains(key.KeyId)).ToList();
        if ((current is null || !inTheClear.Contains(current.KeyId)) && unusedInTheClear.Count == 0)
        {
            return;
        }

        foreach (var key in unusedInTheClear)
        {
            keyManager.RevokeKey(key.KeyId, "Written in the clear before DataProtection:CertificatePath was set; never used.");
        }

        if (current is not null && inTheClear.Contains(current.KeyId))
        {
            keyManager.CreateNewKey(now, now + KeyLifetime);
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(KeyRingCertificateRollover));
            LogRolledOver(logger, inTheClear.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Data Protection now encrypts with a new key protected by DataProtection:CertificatePath; "
        + "{Count} key(s) written before it stay in the clear in the keys folder, to read what they encrypted, until they expire")]
    private static partial void LogRolledOver(ILogger logger, int count);
}
