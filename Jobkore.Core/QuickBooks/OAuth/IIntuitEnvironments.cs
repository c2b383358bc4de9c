namespace Jobkore.Core.QuickBooks.OAuth;

/// <summary>The app's Intuit registration and, per environment (BuiltInSandbox, IntuitSandbox, Production), its endpoints.</summary>
public interface IIntuitEnvironments
{
    IntuitAppCredentials Credentials { get; }

    Task<IntuitEndpoints> GetEndpointsAsync(string environment, CancellationToken cancellationToken);
}
