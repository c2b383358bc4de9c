namespace Jobkore.Core.Security;

/// <summary>The signed-in user may not do this; the message says who can.</summary>
public sealed class NotAllowedException : Exception
{
    public NotAllowedException(string message)
        : base(message)
    {
    }

    public NotAllowedException()
    {
    }

    public NotAllowedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
