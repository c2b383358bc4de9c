namespace Jobkore.Core.Businesses;

/// <summary>A current business known up front: for start-up work, background jobs and tests.</summary>
public sealed class FixedCurrentBusiness(BusinessProfile profile) : ICurrentBusiness
{
    public BusinessProfile Profile { get; } = profile;
}
