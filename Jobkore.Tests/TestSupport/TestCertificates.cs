using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Jobkore.Tests.TestSupport;

internal static class TestCertificates
{
    /// <summary>A self-signed RSA certificate with its private key, exported as a password-protected .pfx in <paramref name="folder"/>.</summary>
    public static string CreatePfx(string folder, string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Jobkore key ring (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = TimeProvider.System.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        var path = Path.Combine(folder, "key-ring.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }
}
