namespace Jobkore.QuickBooksSandbox.Queries;

/// <summary>A parsed query: what <see cref="QueryParser"/> read, for <see cref="QueryEvaluator"/> to run.</summary>
internal sealed class SelectQuery(string entity, bool count)
{
    /// <summary>The entity as the query spells it.</summary>
    public string Entity { get; } = entity;

    /// <summary>count(*) rather than *.</summary>
    public bool Count { get; } = count;

    public List<Condition> Conditions { get; } = [];

    public string? OrderBy { get; set; }

    public bool Descending { get; set; }

    public int StartPosition { get; set; } = 1;

    public int MaxResults { get; set; } = 100;
}

/// <summary>One WHERE condition: a field, an operator (= &lt; &gt; &lt;= &gt;= IN LIKE) and its literal values.</summary>
internal sealed record Condition(string Field, string Operator, List<string> Values);
