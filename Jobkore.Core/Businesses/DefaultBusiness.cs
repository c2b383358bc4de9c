namespace Jobkore.Core.Businesses;

/// <summary>
/// The single business this installation serves until sign-in assigns one per user.
/// Set once at start-up by <see cref="Data.DatabaseInitializer"/>.
/// </summary>
public sealed class DefaultBusiness
{
    private BusinessProfile? _profile;

    public BusinessProfile Profile =>
        _profile ?? throw new InvalidOperationException("The database has not been initialized yet; call InitializeJobkoreDatabaseAsync at start-up.");

    internal void Set(BusinessProfile profile) => _profile = profile;
}
