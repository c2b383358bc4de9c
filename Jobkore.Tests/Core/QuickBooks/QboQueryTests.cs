using Jobkore.Core.QuickBooks.Queries;

namespace Jobkore.Tests.Core.QuickBooks;

public sealed class QboQueryTests
{
    [Fact]
    public void Where_Apostrophe_IsEscapedWithABackslash()
    {
        var sut = QboQuery.SelectAll("Customer").Where("DisplayName", "=", "Maria O'Brien").IncludingInactive();

        sut.ToString().ShouldBe(@"SELECT * FROM Customer WHERE DisplayName = 'Maria O\'Brien' AND Active IN (true, false)");
    }

    [Fact]
    public void Where_Backslash_IsDoubledSoItCannotEscapeTheQuote()
    {
        var sut = QboQuery.SelectAll("Customer").Where("DisplayName", "=", @"Evil\' OR 1=1");

        sut.ToString().ShouldBe(@"SELECT * FROM Customer WHERE DisplayName = 'Evil\\\' OR 1=1'");
    }

    [Fact]
    public void ToQueryParameter_PercentAndSpaces_AreUrlEncoded()
    {
        var sut = QboQuery.SelectAll("Item").Where("Name", "=", "100% Copper & Brass");

        sut.ToQueryParameter().ShouldBe("query=SELECT%20%2A%20FROM%20Item%20WHERE%20Name%20%3D%20%27100%25%20Copper%20%26%20Brass%27");
    }

    [Fact]
    public void FullStatement_OrderAndPage()
    {
        var sut = QboQuery.SelectAll("Account").Where("AccountType", "=", "Bank").OrderBy("Name").Page(1, 1000);

        sut.ToString().ShouldBe("SELECT * FROM Account WHERE AccountType = 'Bank' ORDERBY Name STARTPOSITION 1 MAXRESULTS 1000");
    }

    [Fact]
    public void CountAndIn_AreWrittenAsQboExpects()
    {
        QboQuery.Count("Invoice").WhereIn("Id", ["1", "2"]).ToString().ShouldBe("SELECT count(*) FROM Invoice WHERE Id IN ('1', '2')");
        QboQuery.SelectAll("Item").Where("Active", false).ToString().ShouldBe("SELECT * FROM Item WHERE Active = false");
    }

    [Theory]
    [InlineData("DisplayName; DROP", "=")]
    [InlineData("DisplayName", "OR")]
    [InlineData("Display Name", "=")]
    public void Where_FieldOrOperatorThatIsNotPlain_IsRefused(string field, string op)
    {
        Should.Throw<ArgumentException>(() => QboQuery.SelectAll("Customer").Where(field, op, "x"));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, 0)]
    [InlineData(1, 1001)]
    public void Page_OutsideQboLimits_IsRefused(int start, int max)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => QboQuery.SelectAll("Customer").Page(start, max));
    }
}
