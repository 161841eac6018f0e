"""tradecalc.calc"""
