using Microsoft.AspNetCore.DataProtection;

namespace Jobkore.Core.QuickBooks.Connections;

/// <summary>Encrypts tokens for storage with ASP.NET Core Data Protection; only this purpose can read them back.</summary>
public sealed class QboTokenProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Jobkore.QuickBooks.Tokens.v1");

    public string Protect(string token) => _protector.Protect(token);

    public string Unprotect(string protectedToken) => _protector.Unprotect(protectedToken);

    public ProtectedTokens Protect(Models.QboTokenResponse response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new ProtectedTokens(
            Protect(response.AccessToken),
            now.AddSeconds(response.ExpiresIn),
            Protect(response.RefreshToken),
            now.AddSeconds(response.RefreshTokenExpiresIn));
    }
}
