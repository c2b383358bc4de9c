namespace Jobkore.Core.Domain;

/// <summary>Money arithmetic: amounts are decimals rounded to cents, half away from zero.</summary>
public static class Money
{
    public static decimal RoundToCents(decimal amount) => decimal.Round(amount, 2, MidpointRounding.AwayFromZero);
}
