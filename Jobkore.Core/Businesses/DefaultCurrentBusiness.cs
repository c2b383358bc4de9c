namespace Jobkore.Core.Businesses;

/// <summary>Every user works in the installation's single business.</summary>
public sealed class DefaultCurrentBusiness(DefaultBusiness defaultBusiness) : ICurrentBusiness
{
    public BusinessProfile Profile => defaultBusiness.Profile;
}
