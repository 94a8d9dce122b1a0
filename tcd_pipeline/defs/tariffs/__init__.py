"""Tariff chapter (report section 3.2): average applied tariffs by end use and their change."""
