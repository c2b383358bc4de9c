namespace Jobkore.Core.Businesses;

/// <summary>"Today" and local times as the business sees them, in its own time zone.</summary>
public sealed class BusinessCalendar(ICurrentBusiness currentBusiness, TimeProvider timeProvider)
{
    public DateTimeOffset Now => timeProvider.GetUtcNow();

    public DateOnly Today => DateOnly.FromDateTime(ToLocal(Now).DateTime);

    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, currentBusiness.Profile.TimeZone);
}
