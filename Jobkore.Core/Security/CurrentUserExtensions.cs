namespace Jobkore.Core.Security;

public static class CurrentUserExtensions
{
    /// <summary>Throws <see cref="NotAllowedException"/> unless the user passes <paramref name="policy"/>: the server-side check behind every admin action.</summary>
    public static async Task EnsureAllowedAsync(this ICurrentUser user, string policy, string whatOnlyAnAdminCanDo)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!await user.IsAllowedAsync(policy))
        {
            throw new NotAllowedException($"Only an admin can {whatOnlyAnAdminCanDo}. Ask an admin of your business.");
        }
    }
}
