using System.Security.Cryptography;
using System.Text;

namespace Jobkore.QuickBooksSandbox.Webhooks;

/// <summary>
/// Intuit's <c>intuit-signature</c> header: base64(HMAC-SHA256(key = the app's verifier token in UTF-8, message = the
/// exact body bytes)) (docs/quickbooks-api.md §6 "Signature", with its test vector).
/// </summary>
internal static class WebhookSignature
{
    public const string Header = "intuit-signature";

    public static string Sign(string verifierToken, ReadOnlySpan<byte> body) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(verifierToken), body));
}
