"""The engine: people, places, the network, the daily loop. Knows no behaviour."""
