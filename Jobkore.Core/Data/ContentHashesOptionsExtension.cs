using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Jobkore.Core.Data;

/// <summary>
/// Carries the <see cref="IContentHashes"/> in a context's options, so every context built from them (the DI factory,
/// <see cref="JobkoreDbContext.ForBusinessesOnly"/>, the start-up initializer, design time, a test) keeps its hashes.
/// </summary>
internal sealed class ContentHashesOptionsExtension(IContentHashes hashes) : IDbContextOptionsExtension
{
    private DbContextOptionsExtensionInfo? _info;

    public IContentHashes Hashes => hashes;

    public DbContextOptionsExtensionInfo Info => _info ??= new ExtensionInfo(this);

    // The context reads the hashes itself; EF's own services are unchanged.
    public void ApplyServices(IServiceCollection services)
    {
    }

    public void Validate(IDbContextOptions options)
    {
    }

    private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => string.Empty;

        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo)
        {
        }
    }
}
