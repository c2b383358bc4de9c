namespace Jobkore.Core.QuickBooks;

/// <summary>Which QuickBooks Online the app talks to (<c>QuickBooks:Environment</c>).</summary>
public enum QuickBooksEnvironment
{
    /// <summary>The emulator that ships with the app, at <c>/qbo-sandbox</c> on the app's own port.</summary>
    BuiltInSandbox = 0,

    /// <summary>Intuit's developer sandbox companies.</summary>
    IntuitSandbox = 1,

    /// <summary>Real QuickBooks Online companies.</summary>
    Production = 2,
}
