namespace Jobkore.Core.Businesses;

/// <summary>
/// The installation's local business, the one without an Entra tenant: where the demo sign-in's users work.
/// Set once at start-up by <see cref="Data.DatabaseInitializer"/>.
/// </summary>
public sealed class DefaultBusiness
{
    private BusinessProfile? _profile;

    public BusinessProfile Profile =>
        _profile ?? throw new InvalidOperationException("The database has not been initialized yet; call InitializeJobkoreDatabaseAsync at start-up.");

    internal void Set(BusinessProfile profile) => _profile = profile;
}
