namespace Jobkore.Core.Security;

/// <summary>Authorization policy names, shared by pages, endpoints and the services they call.</summary>
public static class Policies
{
    /// <summary>Connect, disconnect and change integration settings. Role <see cref="Roles.Admin"/>.</summary>
    public const string IntegrationAdmin = "IntegrationAdmin";

    /// <summary>Change the business's own settings: name, currency, time zone. Role <see cref="Roles.Admin"/>.</summary>
    public const string BusinessAdmin = "BusinessAdmin";
}

public static class Roles
{
    /// <summary>The app role that makes a user an admin; everyone else is staff.</summary>
    public const string Admin = "Admin";
}
