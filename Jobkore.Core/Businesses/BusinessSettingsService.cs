using Jobkore.Core.Security;

namespace Jobkore.Core.Businesses;

/// <summary>The business's own settings: what it is called, its currency and its time zone. Admins change them.</summary>
public sealed class BusinessSettingsService(ICurrentBusiness currentBusiness, ICurrentUser currentUser, BusinessDirectory directory)
{
    public BusinessProfile Current => currentBusiness.Profile;

    public Task<bool> CanChangeAsync() => currentUser.IsAllowedAsync(Policies.BusinessAdmin);

    public async Task<BusinessProfile> UpdateAsync(string name, string currency, string timeZoneId, CancellationToken cancellationToken)
    {
        await currentUser.EnsureAllowedAsync(Policies.BusinessAdmin, "change the business settings");
        return await directory.UpdateAsync(currentBusiness.Profile.Id, name, currency, timeZoneId, cancellationToken);
    }
}
