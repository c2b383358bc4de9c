namespace Jobkore.Core.Domain;

/// <summary>
/// A business rule was broken. <see cref="Exception.Message"/> is written for the person who can fix it;
/// <see cref="Field"/> names the input it is about, when there is one.
/// </summary>
public sealed class DomainRuleException : Exception
{
    public DomainRuleException(string message, string? field = null)
        : base(message)
    {
        Field = field;
    }

    public DomainRuleException()
    {
    }

    public DomainRuleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public string? Field { get; }
}
