namespace Jobkore.Core.Domain;

/// <summary>The company that owns every other record: its currency and the time zone its dates are kept in.</summary>
public sealed class Business
{
    private Business()
    {
        Name = string.Empty;
        Currency = string.Empty;
        TimeZoneId = string.Empty;
    }

    public Business(string name, string currency, string timeZoneId, DateTimeOffset createdAt, string? tenantId = null)
        : this()
    {
        CreatedAt = createdAt;
        TenantId = string.IsNullOrWhiteSpace(tenantId) ? null : tenantId.Trim();
        Update(name, currency, timeZoneId);
    }

    public int Id { get; private set; }

    public string Name { get; private set; }

    /// <summary>ISO 4217 code, for example USD.</summary>
    public string Currency { get; private set; }

    /// <summary>IANA time zone id, for example America/Chicago.</summary>
    public string TimeZoneId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The Microsoft Entra tenant whose users work in this business; null for the local (demo) business.</summary>
    public string? TenantId { get; private set; }

    public void Update(string name, string currency, string timeZoneId)
    {
        Name = Rules.RequiredText(name, "Business name", 200, nameof(Name));
        Currency = ValidCurrency(currency);
        TimeZoneId = ValidTimeZone(timeZoneId);
    }

    private static string ValidCurrency(string currency)
    {
        var code = currency?.Trim().ToUpperInvariant() ?? string.Empty;
        if (code.Length != 3 || !code.All(char.IsAsciiLetterUpper))
        {
            throw new DomainRuleException("Currency must be a three-letter ISO 4217 code such as USD.", nameof(Currency));
        }

        return code;
    }

    private static string ValidTimeZone(string timeZoneId)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId ?? string.Empty, out _))
        {
            throw new DomainRuleException($"'{timeZoneId}' is not a known time zone; use an IANA id such as America/Chicago.", nameof(TimeZoneId));
        }

        return timeZoneId!;
    }
}
