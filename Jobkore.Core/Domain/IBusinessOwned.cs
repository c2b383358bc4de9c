namespace Jobkore.Core.Domain;

/// <summary>A record that belongs to exactly one business; every query is scoped by it.</summary>
public interface IBusinessOwned
{
    int BusinessId { get; }
}
