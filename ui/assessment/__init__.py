"""月度考核 tab: monthly scores, the contract's consequence rules, printed sheets."""
