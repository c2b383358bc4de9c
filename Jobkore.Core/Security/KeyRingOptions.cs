namespace Jobkore.Core.Security;

/// <summary>
/// Where ASP.NET Core Data Protection keeps its key ring (the keys that encrypt QuickBooks tokens and sign-in cookies),
/// and the certificate that encrypts those keys at rest. Section "DataProtection".
/// </summary>
public sealed class KeyRingOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>The key ring's folder, relative to the content root unless absolute; on PostgreSQL the keys are in the database instead.</summary>
    public string KeysPath { get; set; } = Path.Combine("App_Data", "keys");

    /// <summary>
    /// A .pfx holding an RSA certificate and its private key, relative to the content root unless absolute. When set,
    /// every key is written encrypted with it; when unset, keys are written in the clear, protected only by the folder's
    /// file permissions.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>The .pfx's password; from the environment (<c>DataProtection__CertificatePassword</c>), never from the file.</summary>
    public string? CertificatePassword { get; set; }
}
