"""tradecalc.model"""
