using Jobkore.Core.Domain;

namespace Jobkore.Core.Businesses;

/// <summary>The facts about a business that every screen needs: who it is, its currency and its time zone.</summary>
public sealed record BusinessProfile(int Id, string Name, string Currency, string TimeZoneId)
{
    public TimeZoneInfo TimeZone => TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);

    /// <summary>When the business was created: with its id, it names the business beyond this database's lifetime.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    internal static BusinessProfile From(Business business) =>
        new(business.Id, business.Name, business.Currency, business.TimeZoneId) { CreatedAt = business.CreatedAt };
}
