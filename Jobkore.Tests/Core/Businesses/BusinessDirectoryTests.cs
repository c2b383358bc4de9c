using Jobkore.Core.Businesses;
using Jobkore.Tests.TestSupport;

namespace Jobkore.Tests.Core.Businesses;

public sealed class BusinessDirectoryTests : DatabaseTest
{
    private static readonly CancellationToken s_ct = CancellationToken.None;

    [Fact]
    public async Task FindOrCreateForTenantAsync_NewTenant_CreatesItsOwnBusinessOnce()
    {
        await using var scope = Db.CreateScope();
        var sut = scope.Get<BusinessDirectory>();

        var first = await sut.FindOrCreateForTenantAsync("tenant-a", "Tenant A Plumbing", "USD", "America/Denver", s_ct);
        var again = await sut.FindOrCreateForTenantAsync("tenant-a", "Another name", "EUR", "Europe/Paris", s_ct);
        var other = await sut.FindOrCreateForTenantAsync("tenant-b", "Tenant B", "USD", "UTC", s_ct);

        again.ShouldBe(first);
        first.Name.ShouldBe("Tenant A Plumbing");
        first.Id.ShouldNotBe(Db.Business.Id);
        other.Id.ShouldNotBe(first.Id);
    }

    [Fact]
    public async Task Find_UnknownId_IsNull()
    {
        await using var scope = Db.CreateScope();

        scope.Get<BusinessDirectory>().Find(9999).ShouldBeNull();
    }
}
