namespace Jobkore.Core.Businesses;

/// <summary>The business the current user works in. Scoped: one per request or Blazor circuit.</summary>
public interface ICurrentBusiness
{
    BusinessProfile Profile { get; }
}
