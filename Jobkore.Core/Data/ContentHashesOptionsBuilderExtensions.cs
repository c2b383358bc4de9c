using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Jobkore.Core.Data;

internal static class ContentHashesOptionsBuilderExtensions
{
    /// <summary>Gives the contexts built from these options the <paramref name="hashes"/> they keep in every save.</summary>
    public static TBuilder UseContentHashes<TBuilder>(this TBuilder builder, IContentHashes hashes)
        where TBuilder : DbContextOptionsBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(hashes);
        ((IDbContextOptionsBuilderInfrastructure)builder).AddOrUpdateExtension(new ContentHashesOptionsExtension(hashes));
        return builder;
    }
}
