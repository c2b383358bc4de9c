using Jobkore.Tests.TestSupport;

namespace Jobkore.Tests;

/// <summary>
/// The test program's entry point: xunit's runner, as the generated entry point would be; or, started by
/// <see cref="AppInstanceProcess"/> with <see cref="AppInstanceProcess.ServeCommand"/>, one instance of the real app in a
/// process of its own, which a test can kill.
/// </summary>
internal static class TestProgram
{
    public static int Main(string[] args) =>
        args is [AppInstanceProcess.ServeCommand, ..]
            ? AppInstanceProcess.ServeAsync(args[1..]).GetAwaiter().GetResult()
            : Xunit.Runner.InProc.SystemConsole.ConsoleRunner.Run(args).GetAwaiter().GetResult();
}
