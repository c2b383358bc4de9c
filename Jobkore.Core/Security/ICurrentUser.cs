namespace Jobkore.Core.Security;

/// <summary>The signed-in user, as Core services see them. Scoped: one per request or Blazor circuit.</summary>
public interface ICurrentUser
{
    /// <summary>A stable id for the user (Entra object id, or the demo user's id); never shown.</summary>
    string UserId { get; }

    string DisplayName { get; }

    /// <summary>Evaluates an authorization policy from <see cref="Policies"/> for this user.</summary>
    Task<bool> IsAllowedAsync(string policy);
}
