using Jobkore.Core.QuickBooks.Connections;
using Jobkore.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Jobkore.Tests.Core.QuickBooks.Connections;

public sealed class QboAccessTokenCacheTests
{
    private const string Realm = "9130357992";
    private readonly FakeTimeProvider _time = new(TestServices.Now);

    private DateTimeOffset InAnHour => _time.GetUtcNow().AddHours(1);

    [Fact]
    public void Get_AKeptToken_UntilTheRowIsDueToBeReadAgain()
    {
        var sut = new QboAccessTokenCache(_time);
        sut.Keep(1, Realm, sut.Generation(1), "access-1", InAnHour, _time.GetUtcNow());

        sut.Get(1, Realm).ShouldBe("access-1");
        sut.Get(2, Realm).ShouldBeNull("another business's connection");
        _time.Advance(QboAccessTokenCache.RecheckAfter);
        sut.Get(1, Realm).ShouldBeNull();
    }

    [Fact]
    public void Keep_ARowReadBeforeTheBusinessDisconnected_IsNotKept()
    {
        var sut = new QboAccessTokenCache(_time);
        var generation = sut.Generation(1);

        sut.Forget(1);
        sut.Keep(1, Realm, generation, "access-1", InAnHour, _time.GetUtcNow());

        sut.Get(1, Realm).ShouldBeNull();
    }

    [Fact]
    public void Keep_AnOlderToken_DoesNotReplaceANewerOne()
    {
        var sut = new QboAccessTokenCache(_time);
        sut.Keep(1, Realm, sut.Generation(1), "access-2", InAnHour, _time.GetUtcNow());

        sut.Keep(1, Realm, sut.Generation(1), "access-1", InAnHour.AddMinutes(-10), _time.GetUtcNow());

        sut.Get(1, Realm).ShouldBe("access-2");
    }
}
