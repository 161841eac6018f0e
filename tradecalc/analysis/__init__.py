"""tradecalc.analysis"""
