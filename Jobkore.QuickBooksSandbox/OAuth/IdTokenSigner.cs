using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Jobkore.QuickBooksSandbox.Accounting;

namespace Jobkore.QuickBooksSandbox.OAuth;

/// <summary>docs/quickbooks-api.md §1: id_token (RS256) with claims aud, exp, iat, iss, realmid, sub when the openid scope was requested; key published at jwks_uri.</summary>
internal sealed class IdTokenSigner : IDisposable
{
    private const string KeyId = "qbo-sandbox-1";
    private readonly RSA _rsa = RSA.Create(2048);

    public JsonObject Jwks()
    {
        var parameters = _rsa.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["alg"] = "RS256",
                ["use"] = "sig",
                ["kid"] = KeyId,
                ["n"] = Base64Url(parameters.Modulus!),
                ["e"] = Base64Url(parameters.Exponent!),
            }),
        };
    }

    public string Sign(string issuer, string clientId, string realmId, string subject, DateTimeOffset now, int lifetimeSeconds)
    {
        var header = new JsonObject { ["alg"] = "RS256", ["kid"] = KeyId, ["typ"] = "JWT" };
        var payload = new JsonObject
        {
            ["sub"] = subject,
            ["aud"] = new JsonArray(clientId),
            ["realmid"] = realmId,
            ["auth_time"] = now.ToUnixTimeSeconds(),
            ["iss"] = issuer,
            ["exp"] = now.AddSeconds(lifetimeSeconds).ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
        };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString(Json.Output))) + "." + Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString(Json.Output)));
        var signature = _rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    public void Dispose() => _rsa.Dispose();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
